package io.quarkube.api.protobuf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;

/**
 * Reads request bodies of {@value #MEDIA_TYPE}, which kubectl 1.32+ sends for its generator
 * commands and {@code auth can-i}, into the same JSON tree a JSON body of the object would give,
 * so the rest of the REST layer only ever sees JSON.
 */
public final class KubernetesProtobuf {

    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

    private KubernetesProtobuf() {
    }

    /** Whether the body starts with the magic bytes of the Kubernetes protobuf envelope. */
    public static boolean hasEnvelope(byte[] body) {
        return ProtobufEnvelope.hasMagic(body);
    }

    /**
     * Decodes an enveloped object into its JSON form, with apiVersion and kind first; throws
     * ProtobufDecodeException (caller answers 400 BadRequest) for a truncated or unknown body, or an
     * apiVersion/kind it cannot decode.
     */
    public static ObjectNode decode(byte[] body) {
        ProtobufEnvelope envelope = ProtobufEnvelope.parse(body);
        Descriptor type = ProtobufKinds.find(envelope.apiVersion(), envelope.kind())
                .orElseThrow(() -> new ProtobufDecodeException(
                        "no protobuf decoding for " + envelope.apiVersion() + ", Kind=" + envelope.kind()));
        DynamicMessage object;
        try {
            object = DynamicMessage.parseFrom(type, envelope.raw());
        } catch (InvalidProtocolBufferException e) {
            throw new ProtobufDecodeException("malformed " + envelope.kind() + " message: " + e.getMessage(), e);
        }
        ObjectNode json = ProtoJsonWriter.fields(object);
        ObjectNode typed = json.objectNode();
        typed.put("apiVersion", envelope.apiVersion());
        typed.put("kind", envelope.kind());
        typed.setAll(json);
        return typed;
    }
}
