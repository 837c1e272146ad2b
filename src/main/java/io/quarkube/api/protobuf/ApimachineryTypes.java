package io.quarkube.api.protobuf;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

/**
 * Messages whose Go types have their own JSON form instead of an object of their fields: numbers
 * or strings ({@code IntOrString}), strings ({@code Quantity}, times, durations), embedded JSON
 * ({@code RawExtension}, {@code FieldsV1}) and string lists ({@code ExtraValue}).
 */
final class ApimachineryTypes {

    private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final Map<String, Function<Message, JsonNode>> CONVERTERS = Map.of(
            "k8s.io.apimachinery.pkg.util.intstr.IntOrString", ApimachineryTypes::intOrString,
            "k8s.io.apimachinery.pkg.api.resource.Quantity", m -> JSON.textNode((String) field(m, 1)),
            META + "Time", m -> time(m, GoTimes::time),
            META + "MicroTime", m -> time(m, GoTimes::microTime),
            META + "Duration", m -> JSON.textNode(GoTimes.duration((Long) field(m, 1))),
            META + "FieldsV1", ApimachineryTypes::embeddedJson,
            META + "Verbs", ApimachineryTypes::stringList,
            "k8s.io.apimachinery.pkg.runtime.RawExtension", ApimachineryTypes::embeddedJson,
            "k8s.io.api.authorization.v1.ExtraValue", ApimachineryTypes::stringList,
            "k8s.io.api.authentication.v1.ExtraValue", ApimachineryTypes::stringList);

    private ApimachineryTypes() {
    }

    /** The JSON of a message with its own JSON form, or empty for a message written field by field. */
    static Optional<JsonNode> toJson(Message message) {
        return Optional.ofNullable(CONVERTERS.get(message.getDescriptorForType().getFullName()))
                .map(converter -> converter.apply(message));
    }

    private static Object field(Message message, int number) {
        return message.getField(message.getDescriptorForType().findFieldByNumber(number));
    }

    /** Type 1 is a string, anything else the int (intstr.Type). */
    private static JsonNode intOrString(Message message) {
        return ((Long) field(message, 1)) == 1L
                ? JSON.textNode((String) field(message, 3))
                : JSON.numberNode((Integer) field(message, 2));
    }

    private interface TimeFormat {
        String format(long seconds, int nanos);
    }

    /** An empty message is Go's zero time, which marshals to null. */
    private static JsonNode time(Message message, TimeFormat format) {
        if (message.getAllFields().isEmpty()) {
            return JSON.nullNode();
        }
        return JSON.textNode(format.format((Long) field(message, 1), (Integer) field(message, 2)));
    }

    /**
     * Raw bytes holding a JSON document, or a nested protobuf envelope (which Go writes when the
     * embedded object was itself encoded as protobuf); no bytes marshal to null.
     */
    private static JsonNode embeddedJson(Message message) {
        byte[] raw = ((ByteString) field(message, 1)).toByteArray();
        if (raw.length == 0) {
            return JSON.nullNode();
        }
        if (ProtobufEnvelope.hasMagic(raw)) {
            return KubernetesProtobuf.decode(raw);
        }
        try {
            return MAPPER.readTree(raw);
        } catch (IOException e) {
            throw new ProtobufDecodeException(
                    message.getDescriptorForType().getName() + " holds neither JSON nor a protobuf object", e);
        }
    }

    private static JsonNode stringList(Message message) {
        ArrayNode items = JSON.arrayNode();
        ((Iterable<?>) field(message, 1)).forEach(item -> items.add((String) item));
        return items;
    }
}
