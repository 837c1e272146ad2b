package io.quarkube.api.protobuf;

import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

/**
 * Writes a message of k8s.io/api as the JSON tree the Go type marshals to. The proto field names
 * are the Go JSON names (go-to-protobuf names fields after their json tags), fields come in
 * declaration order, and unset fields, empty lists and empty maps are left out as
 * {@code omitempty} does.
 */
final class ProtoJsonWriter {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ProtoJsonWriter() {
    }

    static JsonNode message(Message message) {
        return ApimachineryTypes.toJson(message).orElseGet(() -> fields(message));
    }

    /** The fields of a message as a JSON object, into which the caller may put more. */
    static ObjectNode fields(Message message) {
        ObjectNode object = JSON.objectNode();
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            if (field.isMapField()) {
                if (message.getRepeatedFieldCount(field) > 0) {
                    object.set(field.getJsonName(), map((List<?>) message.getField(field)));
                }
            } else if (field.isRepeated()) {
                if (message.getRepeatedFieldCount(field) > 0) {
                    object.set(field.getJsonName(), list(field, (List<?>) message.getField(field)));
                }
            } else if (message.hasField(field)) {
                Object value = message.getField(field);
                if (!GoOmitEmpty.omits(field, value)) {
                    object.set(field.getJsonName(), value(field, value));
                }
            }
        }
        return object;
    }

    /** Proto maps arrive as entry messages with the key in field 1 and the value in field 2. */
    private static ObjectNode map(List<?> entries) {
        ObjectNode object = JSON.objectNode();
        for (Object item : entries) {
            Message entry = (Message) item;
            FieldDescriptor key = entry.getDescriptorForType().findFieldByNumber(1);
            FieldDescriptor value = entry.getDescriptorForType().findFieldByNumber(2);
            object.set(String.valueOf(entry.getField(key)), value(value, entry.getField(value)));
        }
        return object;
    }

    private static ArrayNode list(FieldDescriptor field, List<?> items) {
        ArrayNode array = JSON.arrayNode();
        items.forEach(item -> array.add(value(field, item)));
        return array;
    }

    /** int64 values as the node type Jackson gives the same number parsed from JSON text. */
    private static JsonNode integer(long value) {
        return value == (int) value ? JSON.numberNode((int) value) : JSON.numberNode(value);
    }

    private static JsonNode value(FieldDescriptor field, Object value) {
        return switch (field.getJavaType()) {
            case MESSAGE -> message((Message) value);
            case STRING -> JSON.textNode((String) value);
            // Go marshals []byte as standard base64 with padding.
            case BYTE_STRING -> JSON.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
            case INT -> JSON.numberNode((Integer) value);
            case LONG -> integer((Long) value);
            case BOOLEAN -> JSON.booleanNode((Boolean) value);
            case FLOAT -> JSON.numberNode((Float) value);
            case DOUBLE -> JSON.numberNode((Double) value);
            case ENUM -> JSON.textNode(((EnumValueDescriptor) value).getName());
        };
    }
}
