package io.quarkube.api.table;

import static io.quarkube.api.table.TableFixtures.NOW;
import static io.quarkube.api.table.TableFixtures.ago;
import static io.quarkube.api.table.TableFixtures.json;
import static io.quarkube.api.table.TableFixtures.jsonValue;
import static io.quarkube.api.table.TableFixtures.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.quarkube.registry.ResourceCatalog;
import io.quarkube.registry.ResourceType;

class TableConvertorTest {

    private static final ObjectNode CONFIG_MAP = json("{'apiVersion':'v1','kind':'ConfigMap','metadata':{"
            + "'name':'settings','namespace':'default','labels':{'app':'web'},'resourceVersion':'42',"
            + "'creationTimestamp':'" + ago(45) + "'},'data':{'a':'1','b':'2'},'binaryData':{'c':'AA=='}}");

    @Test
    void buildsAMetaV1TableWithListMetadata() {
        ObjectNode table = TableConvertor.toTable(type("v1", "ConfigMap"), List.of(CONFIG_MAP),
                IncludeObject.METADATA, NOW, "42", "next-page");

        assertEquals("Table", table.path("kind").asText());
        assertEquals("meta.k8s.io/v1", table.path("apiVersion").asText());
        assertEquals(jsonValue("{'resourceVersion':'42','continue':'next-page'}"), table.path("metadata"));
        assertEquals(jsonValue("['settings',3,'45s']"), table.at("/rows/0/cells"));
    }

    @Test
    void leavesOutEmptyListMetadata() {
        ObjectNode table = TableConvertor.toTable(type("v1", "ConfigMap"), List.of(), IncludeObject.METADATA, NOW,
                null, "");

        assertEquals(json("{}"), table.path("metadata"));
        assertEquals(0, table.path("rows").size());
        assertEquals(3, table.path("columnDefinitions").size());
    }

    @Test
    void describesColumnsWithNameFormatAndPriority() {
        ObjectNode table = TableConvertor.toTable(type("apps/v1", "Deployment"), List.of(), IncludeObject.NONE,
                NOW, "1", null);

        JsonNode columns = table.path("columnDefinitions");
        assertEquals(jsonValue("{'name':'Name','type':'string','format':'name','priority':0}"),
                withoutDescription(columns.get(0)));
        assertEquals(jsonValue("{'name':'Containers','type':'string','format':'','priority':1}"),
                withoutDescription(columns.get(5)));
        columns.forEach(column -> assertFalse(column.path("description").asText().isEmpty(), column.toString()));
    }

    private static JsonNode withoutDescription(JsonNode column) {
        ObjectNode copy = column.deepCopy();
        copy.remove("description");
        return copy;
    }

    static Stream<Arguments> includeObjectVariants() {
        return Stream.of(
                Arguments.argumentSet("Metadata wraps the metadata in a PartialObjectMetadata",
                        IncludeObject.METADATA,
                        json("{'kind':'PartialObjectMetadata','apiVersion':'meta.k8s.io/v1','metadata':"
                                + CONFIG_MAP.path("metadata") + "}")),
                Arguments.argumentSet("Object carries the whole object", IncludeObject.OBJECT, CONFIG_MAP),
                Arguments.argumentSet("None carries no object", IncludeObject.NONE, null));
    }

    @ParameterizedTest
    @MethodSource("includeObjectVariants")
    void rowObjectFollowsIncludeObject(IncludeObject include, JsonNode expectedObject) {
        ObjectNode table = TableConvertor.toTable(type("v1", "ConfigMap"), List.of(CONFIG_MAP), include, NOW, "42",
                null);

        JsonNode row = table.at("/rows/0");
        assertEquals(expectedObject != null, row.has("object"));
        if (expectedObject != null) {
            assertEquals(expectedObject, row.path("object"));
        }
    }

    @Test
    void unknownKindFallsBackToNameAndAge() {
        ResourceType widgets = new ResourceType("example.com", "v1", "Widget", "widgets", "widget", true, List.of(),
                List.of(), List.of(), GenericKubernetesResource.class);
        JsonNode widget = json("{'apiVersion':'example.com/v1','kind':'Widget','metadata':{'name':'w1',"
                + "'creationTimestamp':'" + ago(7200) + "'}}");

        ObjectNode table = TableConvertor.toTable(widgets, List.of(widget), IncludeObject.METADATA, NOW, "3", null);

        assertEquals(List.of("Name", "Age"), columnNames(table));
        assertEquals(jsonValue("['w1','120m']"), table.at("/rows/0/cells"));
    }

    @Test
    void rolesShowCreationDate() {
        JsonNode role = json("{'apiVersion':'rbac.authorization.k8s.io/v1','kind':'Role','metadata':{'name':'reader',"
                + "'creationTimestamp':'2024-04-30T08:15:30Z'}}");

        ObjectNode table = TableFixtures.table("rbac.authorization.k8s.io/v1", "Role", role);

        assertEquals(List.of("Name", "Created At"), columnNames(table));
        assertEquals("date", table.at("/columnDefinitions/1/type").asText());
        assertEquals(jsonValue("['reader','2024-04-30T08:15:30Z']"), table.at("/rows/0/cells"));
    }

    @Test
    void everyServedKindHasAsManyCellsAsColumns() {
        for (ResourceType type : ResourceCatalog.all()) {
            JsonNode object = json("{'apiVersion':'" + type.apiVersion() + "','kind':'" + type.kind()
                    + "','metadata':{'name':'x'}}");
            ObjectNode table = TableConvertor.toTable(type, List.of(object), IncludeObject.NONE, NOW, "1", null);
            assertEquals(table.path("columnDefinitions").size(), table.at("/rows/0/cells").size(), type.kind());
        }
    }

    private static List<String> columnNames(ObjectNode table) {
        return TableFixtures.cells(table).keySet().stream().toList();
    }
}
