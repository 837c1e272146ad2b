package io.quarkube.api.openapi;

import java.util.Iterator;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Encodes a Swagger 2.0 JSON document as the gnostic {@code openapi.v2.Document} protobuf message
 * (github.com/google/gnostic-models, openapiv2/OpenAPIv2.proto), the form kubectl 1.27 and 1.28
 * download. Only the parts quarkube's documents use are encoded; anything else fails loudly so
 * that a new document feature cannot silently go missing from the protobuf.
 */
final class GnosticV2Encoder {

    private static final String VENDOR_PREFIX = "x-";

    private GnosticV2Encoder() {
    }

    static byte[] encode(JsonNode swagger) {
        ProtoMessage document = new ProtoMessage();
        eachField(swagger, (key, value) -> {
            switch (key) {
                case "swagger" -> document.string(1, value.asText());
                case "info" -> document.message(2, new ProtoMessage()
                        .string(1, value.path("title").asText()).string(2, value.path("version").asText()));
                case "paths" -> document.message(8, named(value, 2, GnosticV2Encoder::pathItem));
                case "definitions" -> document.message(9, named(value, 1, GnosticV2Encoder::schema));
                case "security" -> value.forEach(requirement -> document.message(12,
                        named(requirement, 1, scopes -> stringList(scopes, 1))));
                case "securityDefinitions" -> document.message(13,
                        named(value, 1, GnosticV2Encoder::securityDefinition));
                default -> throw unsupported("document", key);
            }
        });
        return document.toByteArray();
    }

    private static ProtoMessage pathItem(JsonNode item) {
        ProtoMessage message = new ProtoMessage();
        eachField(item, (key, value) -> {
            switch (key) {
                case "get" -> message.message(2, operation(value));
                case "put" -> message.message(3, operation(value));
                case "post" -> message.message(4, operation(value));
                case "delete" -> message.message(5, operation(value));
                case "patch" -> message.message(8, operation(value));
                case "parameters" -> value.forEach(p -> message.message(9, parametersItem(p)));
                default -> throw unsupported("path item", key);
            }
        });
        return message;
    }

    private static ProtoMessage operation(JsonNode operation) {
        ProtoMessage message = new ProtoMessage();
        eachField(operation, (key, value) -> {
            if (key.startsWith(VENDOR_PREFIX)) {
                message.message(13, vendorExtension(key, value));
                return;
            }
            switch (key) {
                case "description" -> message.string(3, value.asText());
                case "operationId" -> message.string(5, value.asText());
                case "produces" -> value.forEach(v -> message.string(6, v.asText()));
                case "consumes" -> value.forEach(v -> message.string(7, v.asText()));
                case "parameters" -> value.forEach(p -> message.message(8, parametersItem(p)));
                case "responses" -> message.message(9, named(value, 1, GnosticV2Encoder::responseValue));
                case "schemes" -> value.forEach(v -> message.string(10, v.asText()));
                default -> throw unsupported("operation", key);
            }
        });
        return message;
    }

    /** ParametersItem{parameter: Parameter{body_parameter | non_body_parameter{query | path}}}. */
    private static ProtoMessage parametersItem(JsonNode parameter) {
        String in = parameter.path("in").asText();
        ProtoMessage oneOf = switch (in) {
            case "body" -> new ProtoMessage().message(1, new ProtoMessage()
                    .string(1, parameter.path("description").asText())
                    .string(2, parameter.path("name").asText())
                    .string(3, in)
                    .bool(4, parameter.path("required").asBoolean())
                    .message(5, schema(parameter.path("schema"))));
            case "query" -> new ProtoMessage().message(2, new ProtoMessage().message(3, new ProtoMessage()
                    .bool(1, parameter.path("required").asBoolean())
                    .string(2, in)
                    .string(3, parameter.path("description").asText())
                    .string(4, parameter.path("name").asText())
                    .string(6, parameter.path("type").asText())
                    .string(7, parameter.path("format").asText())
                    .bool(20, parameter.path("uniqueItems").asBoolean())));
            case "path" -> new ProtoMessage().message(2, new ProtoMessage().message(4, new ProtoMessage()
                    .bool(1, parameter.path("required").asBoolean())
                    .string(2, in)
                    .string(3, parameter.path("description").asText())
                    .string(4, parameter.path("name").asText())
                    .string(5, parameter.path("type").asText())
                    .string(6, parameter.path("format").asText())
                    .bool(19, parameter.path("uniqueItems").asBoolean())));
            default -> throw unsupported("parameter location", in);
        };
        return new ProtoMessage().message(1, oneOf);
    }

    /** ResponseValue{response: Response{description, schema: SchemaItem{schema}}}. */
    private static ProtoMessage responseValue(JsonNode response) {
        ProtoMessage message = new ProtoMessage().string(1, response.path("description").asText());
        if (response.has("schema")) {
            message.message(2, new ProtoMessage().message(1, schema(response.get("schema"))));
        }
        return new ProtoMessage().message(1, message);
    }

    private static ProtoMessage schema(JsonNode schema) {
        ProtoMessage message = new ProtoMessage();
        eachField(schema, (key, value) -> {
            if (key.startsWith(VENDOR_PREFIX)) {
                message.message(31, vendorExtension(key, value));
                return;
            }
            switch (key) {
                case "$ref" -> message.string(1, value.asText());
                case "format" -> message.string(2, value.asText());
                case "title" -> message.string(3, value.asText());
                case "description" -> message.string(4, value.asText());
                case "required" -> value.forEach(v -> message.string(19, v.asText()));
                case "additionalProperties" -> message.message(21, value.isBoolean()
                        ? new ProtoMessage().bool(2, value.asBoolean())
                        : new ProtoMessage().message(1, schema(value)));
                case "type" -> message.message(22, new ProtoMessage().string(1, value.asText()));
                case "items" -> message.message(23, new ProtoMessage().message(1, schema(value)));
                case "properties" -> message.message(25, named(value, 1, GnosticV2Encoder::schema));
                default -> throw unsupported("schema", key);
            }
        });
        return message;
    }

    /** SecurityDefinitionsItem{api_key_security}: the only scheme quarkube documents. */
    private static ProtoMessage securityDefinition(JsonNode definition) {
        if (!definition.path("type").asText().equals("apiKey")) {
            throw unsupported("security definition type", definition.path("type").asText());
        }
        return new ProtoMessage().message(2, new ProtoMessage()
                .string(1, "apiKey")
                .string(2, definition.path("name").asText())
                .string(3, definition.path("in").asText())
                .string(4, definition.path("description").asText()));
    }

    /** NamedAny{name, value: Any{yaml}}; JSON text is valid YAML, which is what readers parse. */
    private static ProtoMessage vendorExtension(String name, JsonNode value) {
        return new ProtoMessage().string(1, name).message(2, new ProtoMessage().string(2, value.toString()));
    }

    /** StringArray{value}. */
    private static ProtoMessage stringList(JsonNode array, int field) {
        ProtoMessage message = new ProtoMessage();
        array.forEach(v -> message.string(field, v.asText()));
        return message;
    }

    /** A JSON object as gnostic's ordered (name, value) pairs: repeated Named*{name = 1, value = 2}. */
    private static ProtoMessage named(JsonNode object, int field, Function<JsonNode, ProtoMessage> valueEncoder) {
        ProtoMessage message = new ProtoMessage();
        eachField(object, (key, value) -> message.message(field,
                new ProtoMessage().string(1, key).message(2, valueEncoder.apply(value))));
        return message;
    }

    private static void eachField(JsonNode object, BiConsumer<String, JsonNode> consumer) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            consumer.accept(field.getKey(), field.getValue());
        }
    }

    private static IllegalArgumentException unsupported(String where, String what) {
        return new IllegalArgumentException("cannot encode " + where + " field " + what + " as gnostic protobuf");
    }
}
