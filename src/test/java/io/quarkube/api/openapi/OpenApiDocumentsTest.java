package io.quarkube.api.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkube.registry.ResourceCatalog;

class OpenApiDocumentsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static OpenApiDocuments documents;
    private static JsonNode v2;

    @BeforeAll
    static void build() throws IOException {
        long start = System.nanoTime();
        documents = OpenApiDocuments.build();
        long v3Millis = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        byte[] v2Json = documents.v2Json();
        long v2Millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("OpenAPI v3 documents built in " + v3Millis + " ms, v2 in " + v2Millis + " ms; v2 JSON "
                + v2Json.length + " bytes, v2 protobuf " + documents.v2Protobuf().length + " bytes");
        v2 = MAPPER.readTree(v2Json);
    }

    @Test
    void rootListsEveryServedGroupVersionWithTheHashOfItsDocument() {
        Set<String> expected = ResourceCatalog.all().stream().map(OpenApiDocuments::documentPath)
                .collect(Collectors.toSet());
        JsonNode paths = documents.v3Root().get("paths");
        assertEquals(expected, Set.copyOf(MAPPER.convertValue(paths, java.util.Map.class).keySet()));
        for (String path : expected) {
            String hash = documents.v3Hash(path);
            assertTrue(hash.matches("[0-9A-F]{128}"), hash);
            assertEquals("/openapi/v3/" + path + "?hash=" + hash, paths.get(path).get("serverRelativeURL").asText());
        }
    }

    @Test
    void hashesAreStableAcrossBuilds() {
        OpenApiDocuments again = OpenApiDocuments.build();
        assertEquals(documents.v3Hash("apis/apps/v1"), again.v3Hash("apis/apps/v1"));
        assertEquals(documents.v3Hash("api/v1"), again.v3Hash("api/v1"));
    }

    @Test
    void unknownGroupVersionHasNoDocument() {
        assertTrue(documents.v3GroupVersion("apis/example.com/v1").isEmpty());
    }

    static Stream<Arguments> groupVersionKinds() {
        return ResourceCatalog.all().stream().map(t -> Arguments.argumentSet(t.apiVersion() + " " + t.kind(),
                OpenApiDocuments.documentPath(t), t.group(), t.version(), t.kind()));
    }

    @ParameterizedTest
    @MethodSource("groupVersionKinds")
    void groupVersionDocumentHasTheKindSchemaAndAPatchWithFieldValidation(String path, String group, String version,
            String kind) throws IOException {
        JsonNode document = MAPPER.readTree(documents.v3GroupVersion(path).orElseThrow());
        assertEquals("3.0.0", document.get("openapi").asText());
        boolean kindSchema = false;
        for (JsonNode schema : document.get("components").get("schemas")) {
            for (JsonNode gvk : schema.path("x-kubernetes-group-version-kind")) {
                kindSchema |= gvk.equals(ModelSchemas.gvk(group, version, kind));
            }
        }
        assertTrue(kindSchema, "schema with the GVK of " + kind);
        boolean patchWithFieldValidation = false;
        for (JsonNode item : document.get("paths")) {
            JsonNode patch = item.path("patch");
            if (patch.path("x-kubernetes-group-version-kind").equals(ModelSchemas.gvk(group, version, kind))) {
                for (JsonNode parameter : patch.get("parameters")) {
                    patchWithFieldValidation |= parameter.get("name").asText().equals("fieldValidation");
                }
            }
        }
        assertTrue(patchWithFieldValidation, "patch operation with fieldValidation for " + kind);
    }

    @Test
    void everyV3RefResolvesInItsDocument() throws IOException {
        for (String path : ResourceCatalog.all().stream().map(OpenApiDocuments::documentPath).distinct().toList()) {
            JsonNode document = MAPPER.readTree(documents.v3GroupVersion(path).orElseThrow());
            JsonNode schemas = document.get("components").get("schemas");
            for (String ref : refs(document)) {
                assertTrue(ref.startsWith("#/components/schemas/"), ref);
                assertTrue(schemas.has(ref.substring("#/components/schemas/".length())), path + " lacks " + ref);
            }
        }
    }

    @Test
    void v2RefsArePlainDefinitionRefsAndNeverAllOf() {
        assertFalse(documents.v2Json().length == 0);
        assertTrue(v2.findValues("allOf").isEmpty());
        for (String ref : refs(v2)) {
            assertTrue(ref.startsWith("#/definitions/"), ref);
            assertTrue(v2.get("definitions").has(ref.substring("#/definitions/".length())), ref);
        }
    }

    @Test
    void v2HasThePathsOfEveryGroupVersion() {
        assertTrue(v2.get("paths").has("/api/v1/namespaces/{namespace}/pods/{name}"));
        assertTrue(v2.get("paths").has("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"));
        assertTrue(v2.get("paths").has("/apis/rbac.authorization.k8s.io/v1/clusterroles"));
        assertTrue(v2.get("definitions").has("io.k8s.api.autoscaling.v1.Scale"));
    }

    @Test
    void v2ProtobufDecodesToTheSameDefinitionsAndPaths() {
        JsonNode decoded = GnosticV2Decoder.decode(documents.v2Protobuf());
        assertEquals("2.0", decoded.get("swagger").asText());
        assertEquals(v2.get("definitions"), decoded.get("definitions"));
        assertEquals(v2.get("paths"), decoded.get("paths"));
    }

    private static List<String> refs(JsonNode node) {
        return node.findValues("$ref").stream().map(JsonNode::asText).distinct().toList();
    }
}
