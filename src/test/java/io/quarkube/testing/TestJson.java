package io.quarkube.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;

/** JSON fixtures written with single quotes, so they read without escapes. */
public final class TestJson {

    private TestJson() {
    }

    public static ObjectNode json(String singleQuoted) {
        if (!(value(singleQuoted) instanceof ObjectNode object)) {
            throw new IllegalArgumentException("not a JSON object: " + singleQuoted);
        }
        return object;
    }

    public static JsonNode value(String singleQuoted) {
        try {
            return Json.MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad fixture: " + singleQuoted, e);
        }
    }
}
