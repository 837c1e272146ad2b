package io.quarkube.api.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;

class ModelSchemasTest {

    private static final String CORE = "io.k8s.api.core.v1.";
    private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static Map<String, ObjectNode> schemas;

    @BeforeAll
    static void generate() {
        ModelSchemas modelSchemas = new ModelSchemas();
        modelSchemas.register(Pod.class);
        modelSchemas.register(PodList.class);
        modelSchemas.register(Deployment.class);
        modelSchemas.register(Lease.class);
        schemas = modelSchemas.all();
    }

    static Stream<Arguments> properties() {
        return Stream.of(
                Arguments.argumentSet("pod metadata", CORE + "Pod", "metadata", ref(META + "ObjectMeta")),
                Arguments.argumentSet("pod spec", CORE + "Pod", "spec", ref(CORE + "PodSpec")),
                Arguments.argumentSet("pod status", CORE + "Pod", "status", ref(CORE + "PodStatus")),
                Arguments.argumentSet("pod kind", CORE + "Pod", "kind", json("{\"type\":\"string\"}")),
                Arguments.argumentSet("deployment spec", "io.k8s.api.apps.v1.Deployment", "spec",
                        ref("io.k8s.api.apps.v1.DeploymentSpec")),
                Arguments.argumentSet("replicas int32", "io.k8s.api.apps.v1.DeploymentSpec", "replicas",
                        json("{\"type\":\"integer\",\"format\":\"int32\"}")),
                Arguments.argumentSet("template", "io.k8s.api.apps.v1.DeploymentSpec", "template",
                        ref(CORE + "PodTemplateSpec")),
                Arguments.argumentSet("selector", "io.k8s.api.apps.v1.DeploymentSpec", "selector",
                        ref(META + "LabelSelector")),
                Arguments.argumentSet("rolling update max surge", "io.k8s.api.apps.v1.RollingUpdateDeployment",
                        "maxSurge", ref("io.k8s.apimachinery.pkg.util.intstr.IntOrString")),
                Arguments.argumentSet("list of containers, merged by name", CORE + "PodSpec", "containers",
                        json("{\"type\":\"array\",\"items\":" + ref(CORE + "Container") + ","
                                + "\"x-kubernetes-patch-merge-key\":\"name\",\"x-kubernetes-patch-strategy\":\"merge\","
                                + "\"x-kubernetes-list-map-keys\":[\"name\"],\"x-kubernetes-list-type\":\"map\"}")),
                Arguments.argumentSet("map of quantities", CORE + "ResourceRequirements", "limits",
                        json("{\"type\":\"object\",\"additionalProperties\":"
                                + ref("io.k8s.apimachinery.pkg.api.resource.Quantity") + "}")),
                Arguments.argumentSet("labels", META + "ObjectMeta", "labels",
                        json("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}")),
                Arguments.argumentSet("timestamp string is a Time", META + "ObjectMeta", "creationTimestamp",
                        ref(META + "Time")),
                Arguments.argumentSet("lease ZonedDateTime is a MicroTime", "io.k8s.api.coordination.v1.LeaseSpec",
                        "renewTime", ref(META + "MicroTime")));
    }

    @ParameterizedTest
    @MethodSource("properties")
    void propertyHasTheKubernetesSchema(String schema, String property, JsonNode expected) {
        assertEquals(expected, schemas.get(schema).get("properties").get(property));
    }

    static Stream<Arguments> wireScalars() {
        return Stream.of(
                Arguments.argumentSet("quantity", "io.k8s.apimachinery.pkg.api.resource.Quantity",
                        json("{\"type\":\"string\"}")),
                Arguments.argumentSet("int or string", "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
                        json("{\"type\":\"string\",\"format\":\"int-or-string\",\"x-kubernetes-int-or-string\":true}")),
                Arguments.argumentSet("time", META + "Time", json("{\"type\":\"string\",\"format\":\"date-time\"}")),
                Arguments.argumentSet("micro time", META + "MicroTime",
                        json("{\"type\":\"string\",\"format\":\"date-time\"}")),
                Arguments.argumentSet("fields v1", META + "FieldsV1", json("{\"type\":\"object\"}")));
    }

    @ParameterizedTest
    @MethodSource("wireScalars")
    void wireScalarHasItsWireSchema(String name, JsonNode expected) {
        assertEquals(expected, schemas.get(name));
    }

    @Test
    void kindsCarryTheirGroupVersionKindAndOtherTypesDoNot() {
        assertEquals(json("[{\"group\":\"\",\"kind\":\"Pod\",\"version\":\"v1\"}]"),
                schemas.get(CORE + "Pod").get("x-kubernetes-group-version-kind"));
        assertEquals(json("[{\"group\":\"apps\",\"kind\":\"Deployment\",\"version\":\"v1\"}]"),
                schemas.get("io.k8s.api.apps.v1.Deployment").get("x-kubernetes-group-version-kind"));
        assertFalse(schemas.get(CORE + "PodSpec").has("x-kubernetes-group-version-kind"));
        assertFalse(schemas.get(META + "ObjectMeta").has("x-kubernetes-group-version-kind"));
    }

    @Test
    void requiredFieldsAreMarkedWhereKubernetesMarksThem() {
        assertEquals(json("[\"name\"]"), schemas.get(CORE + "Container").get("required"));
        assertEquals(json("[\"containers\"]"), schemas.get(CORE + "PodSpec").get("required"));
        assertEquals(json("[\"selector\",\"template\"]"),
                schemas.get("io.k8s.api.apps.v1.DeploymentSpec").get("required"));
        assertFalse(schemas.get(META + "ObjectMeta").has("required"));
        assertEquals(json("[\"items\"]"), schemas.get(CORE + "PodList").get("required"));
    }

    @Test
    void labelSelectorIsAnAtomicMap() {
        assertEquals("atomic", schemas.get(META + "LabelSelector").get("x-kubernetes-map-type").asText());
    }

    @Test
    void javaOnlyPropertiesAndAdditionalPropertiesAreLeftOut() {
        JsonNode pod = schemas.get(CORE + "Pod").get("properties");
        assertEquals(List.of("apiVersion", "kind", "metadata", "spec", "status"),
                MAPPER.convertValue(pod, Map.class).keySet().stream().toList());
    }

    @Test
    void everyRefResolves() {
        for (ObjectNode schema : schemas.values()) {
            for (JsonNode ref : schema.findValues("$ref")) {
                String name = ref.asText().substring(ModelSchemas.V3_REF_PREFIX.length());
                assertTrue(schemas.containsKey(name), name);
            }
        }
    }

    private static JsonNode ref(String name) {
        return ModelSchemas.ref(name);
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
