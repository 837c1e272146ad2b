package io.quarkube.api.table;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.registry.ResourceCatalog;
import io.quarkube.registry.ResourceType;

/** Objects written as compact JSON and the Table cells quarkube prints for them. */
final class TableFixtures {

    /** The "now" every test measures ages against. */
    static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TableFixtures() {
    }

    /** JSON written with single quotes, so fixtures read without escapes. */
    static ObjectNode json(String singleQuoted) {
        return (ObjectNode) jsonValue(singleQuoted);
    }

    /** Any JSON value written with single quotes. */
    static JsonNode jsonValue(String singleQuoted) {
        try {
            return MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad fixture: " + singleQuoted, e);
        }
    }

    /** The timestamp that many seconds before {@link #NOW}, as stored. */
    static String ago(long seconds) {
        return NOW.minusSeconds(seconds).toString();
    }

    static ResourceType type(String apiVersion, String kind) {
        return ResourceCatalog.byKind(apiVersion, kind).orElseThrow();
    }

    /** The Table of one object of a served kind, with default options. */
    static ObjectNode table(String apiVersion, String kind, JsonNode object) {
        return TableConvertor.toTable(type(apiVersion, kind), List.of(object), IncludeObject.METADATA, NOW, "7", null);
    }

    /** The first row's cells keyed by column name, in column order. */
    static Map<String, JsonNode> cells(ObjectNode table) {
        Map<String, JsonNode> cells = new LinkedHashMap<>();
        JsonNode columns = table.path("columnDefinitions");
        JsonNode row = table.at("/rows/0/cells");
        for (int i = 0; i < columns.size(); i++) {
            cells.put(columns.get(i).path("name").asText(), row.get(i));
        }
        return cells;
    }

    /** The first row's cells of one object of a served kind, keyed by column name. */
    static Map<String, JsonNode> cells(String apiVersion, String kind, JsonNode object) {
        return cells(table(apiVersion, kind, object));
    }

    /** One cell's value as text. */
    static String cell(Map<String, JsonNode> cells, String column) {
        JsonNode value = cells.get(column);
        if (value == null) {
            throw new AssertionError("no column " + column + " in " + cells.keySet());
        }
        return value.asText();
    }
}
