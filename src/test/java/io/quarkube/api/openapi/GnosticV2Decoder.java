package io.quarkube.api.openapi;

import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a gnostic {@code openapi.v2.Document} back into Swagger 2.0 JSON, by the field numbers of
 * gnostic's OpenAPIv2.proto, for the parts quarkube writes: the independent check of the encoder.
 */
final class GnosticV2Decoder {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> METHODS = List.of("", "", "get", "put", "post", "delete", "options", "head", "patch");

    private GnosticV2Decoder() {
    }

    static ObjectNode decode(byte[] protobuf) {
        WireMessage document = WireMessage.parse(protobuf);
        ObjectNode json = JSON.objectNode().put("swagger", document.string(1));
        json.putObject("info").put("title", document.message(2).string(1)).put("version", document.message(2).string(2));
        json.set("paths", named(document.message(8).messages(2), GnosticV2Decoder::pathItem));
        json.set("definitions", named(document.message(9).messages(1), GnosticV2Decoder::schema));
        return json;
    }

    private static ObjectNode pathItem(WireMessage item) {
        ObjectNode json = JSON.objectNode();
        for (int field = 2; field <= 8; field++) {
            if (item.has(field)) {
                json.set(METHODS.get(field), operation(item.message(field)));
            }
        }
        ArrayNode parameters = json.putArray("parameters");
        item.messages(9).forEach(p -> parameters.add(parameter(p)));
        return json;
    }

    private static ObjectNode operation(WireMessage operation) {
        ObjectNode json = JSON.objectNode();
        if (operation.has(7)) {
            strings(json.putArray("consumes"), operation.strings(7));
        }
        strings(json.putArray("produces"), operation.strings(6));
        strings(json.putArray("schemes"), operation.strings(10));
        json.put("operationId", operation.string(5));
        ArrayNode parameters = json.putArray("parameters");
        operation.messages(8).forEach(p -> parameters.add(parameter(p)));
        json.set("responses", named(operation.message(9).messages(1), value -> {
            WireMessage response = value.message(1);
            ObjectNode r = JSON.objectNode().put("description", response.string(1));
            if (response.has(2)) {
                r.set("schema", schema(response.message(2).message(1)));
            }
            return r;
        }));
        vendorExtensions(json, operation.messages(13));
        return json;
    }

    private static ObjectNode parameter(WireMessage parametersItem) {
        WireMessage parameter = parametersItem.message(1);
        if (parameter.has(1)) {
            WireMessage body = parameter.message(1);
            ObjectNode json = JSON.objectNode().put("name", body.string(2)).put("in", body.string(3));
            if (body.bool(4)) {
                json.put("required", true);
            }
            return json.set("schema", schema(body.message(5)));
        }
        WireMessage nonBody = parameter.message(2);
        boolean query = nonBody.has(3);
        WireMessage sub = query ? nonBody.message(3) : nonBody.message(4);
        ObjectNode json = JSON.objectNode().put("name", sub.string(4)).put("in", sub.string(2));
        if (sub.bool(1)) {
            json.put("required", true);
        }
        json.put("type", sub.string(query ? 6 : 5));
        if (sub.bool(query ? 20 : 19)) {
            json.put("uniqueItems", true);
        }
        return json;
    }

    private static ObjectNode schema(WireMessage schema) {
        ObjectNode json = JSON.objectNode();
        putIfSet(json, "$ref", schema.string(1));
        putIfSet(json, "type", schema.message(22).string(1));
        putIfSet(json, "format", schema.string(2));
        if (schema.has(25)) {
            json.set("properties", named(schema.message(25).messages(1), GnosticV2Decoder::schema));
        }
        if (schema.has(23)) {
            json.set("items", schema(schema.message(23).message(1)));
        }
        if (schema.has(21)) {
            json.set("additionalProperties", schema(schema.message(21).message(1)));
        }
        if (schema.has(19)) {
            strings(json.putArray("required"), schema.strings(19));
        }
        vendorExtensions(json, schema.messages(31));
        return json;
    }

    private static void vendorExtensions(ObjectNode json, List<WireMessage> namedAnys) {
        for (WireMessage namedAny : namedAnys) {
            try {
                json.set(namedAny.string(1), MAPPER.readTree(namedAny.message(2).string(2)));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
        }
    }

    private static ObjectNode named(List<WireMessage> pairs, Function<WireMessage, JsonNode> value) {
        ObjectNode json = JSON.objectNode();
        pairs.forEach(pair -> json.set(pair.string(1), value.apply(pair.message(2))));
        return json;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static void putIfSet(ObjectNode json, String key, String value) {
        if (!value.isEmpty()) {
            json.put(key, value);
        }
    }
}
