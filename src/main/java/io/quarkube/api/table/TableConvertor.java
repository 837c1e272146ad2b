package io.quarkube.api.table;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.registry.ResourceType;

/**
 * Turns stored objects into the {@code meta.k8s.io/v1} Table that {@code kubectl get} asks for, with
 * the columns and cell values kube-apiserver's printers give each kind.
 */
public final class TableConvertor {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private TableConvertor() {
    }

    /**
     * A Table of the objects, one row each, in the given order.
     *
     * @param type            the resource listed; its group and kind choose the columns
     * @param objects         objects as stored (apiVersion, kind and metadata set)
     * @param include         what each row carries besides its cells
     * @param now             the time ages are measured against
     * @param resourceVersion the list's resourceVersion, or null
     * @param continueToken   the token for the next page, or null
     */
    public static ObjectNode toTable(ResourceType type, List<? extends JsonNode> objects, IncludeObject include,
            Instant now, String resourceVersion, String continueToken) {
        TablePrinter printer = PrinterRegistry.builtIn().forKind(type.group(), type.kind());
        ObjectNode table = JSON.objectNode();
        table.put("kind", "Table");
        table.put("apiVersion", "meta.k8s.io/v1");
        ObjectNode metadata = table.putObject("metadata");
        if (resourceVersion != null && !resourceVersion.isEmpty()) {
            metadata.put("resourceVersion", resourceVersion);
        }
        if (continueToken != null && !continueToken.isEmpty()) {
            metadata.put("continue", continueToken);
        }
        ArrayNode columns = table.putArray("columnDefinitions");
        printer.columns().forEach(column -> columns.add(columnDefinition(column)));
        ArrayNode rows = table.putArray("rows");
        for (JsonNode object : objects) {
            rows.add(row(printer, object, include, now));
        }
        return table;
    }

    private static ObjectNode columnDefinition(Column column) {
        ObjectNode definition = JSON.objectNode();
        definition.put("name", column.name());
        definition.put("type", column.type());
        definition.put("format", column.format());
        definition.put("description", column.description());
        definition.put("priority", column.priority());
        return definition;
    }

    private static ObjectNode row(TablePrinter printer, JsonNode object, IncludeObject include, Instant now) {
        ObjectNode row = JSON.objectNode();
        ArrayNode cells = row.putArray("cells");
        printer.cells(object, now).forEach(cell -> cells.add(cellValue(cell)));
        List<RowCondition> conditions = printer.conditions(object);
        if (!conditions.isEmpty()) {
            ArrayNode conditionArray = row.putArray("conditions");
            for (RowCondition condition : conditions) {
                conditionArray.addObject()
                        .put("type", condition.type())
                        .put("status", condition.status())
                        .put("reason", condition.reason())
                        .put("message", condition.message());
            }
        }
        switch (include) {
            case OBJECT -> row.set("object", object.deepCopy());
            case METADATA -> row.set("object", partialObjectMetadata(object));
            case NONE -> {
                // The row carries its cells only.
            }
        }
        return row;
    }

    /** What kube-apiserver sends for {@code includeObject=Metadata}: the metadata under its own kind. */
    private static ObjectNode partialObjectMetadata(JsonNode object) {
        ObjectNode partial = JSON.objectNode();
        partial.put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", "meta.k8s.io/v1");
        JsonNode metadata = object.path("metadata");
        partial.set("metadata", metadata.isObject() ? metadata.deepCopy() : JSON.objectNode());
        return partial;
    }

    private static JsonNode cellValue(Object cell) {
        if (cell instanceof Number number) {
            // Small numbers as int nodes, the way a JSON parser reads them back, so trees compare equal.
            long value = number.longValue();
            return value == (int) value ? JSON.numberNode((int) value) : JSON.numberNode(value);
        }
        if (cell instanceof Boolean bool) {
            return JSON.booleanNode(bool);
        }
        return cell == null ? JSON.nullNode() : JSON.textNode(cell.toString());
    }
}
