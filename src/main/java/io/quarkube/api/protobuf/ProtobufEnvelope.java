package io.quarkube.api.protobuf;

import java.util.Arrays;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;

import io.kubernetes.client.proto.Runtime.Unknown;

/**
 * The frame around every Kubernetes protobuf object: the magic bytes {@code k8s\0} followed by a
 * {@code runtime.Unknown} message that names the object's apiVersion and kind and carries the
 * object's own message as raw bytes. It is read through the message descriptor: the generated
 * parsers of client-java-proto predate protobuf 22 and make protobuf-java log a warning per type.
 *
 * @param apiVersion the object's apiVersion, e.g. "apps/v1"
 * @param kind       the object's kind, e.g. "Deployment"
 * @param raw        the serialized object message
 */
record ProtobufEnvelope(String apiVersion, String kind, byte[] raw) {

    private static final byte[] MAGIC = { 'k', '8', 's', 0 };
    private static final Descriptor UNKNOWN = Unknown.getDescriptor();

    static boolean hasMagic(byte[] body) {
        return body != null && body.length >= MAGIC.length
                && Arrays.equals(body, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    static ProtobufEnvelope parse(byte[] body) {
        if (!hasMagic(body)) {
            throw new ProtobufDecodeException("body does not start with the Kubernetes protobuf magic bytes");
        }
        DynamicMessage unknown;
        try {
            unknown = DynamicMessage.parseFrom(UNKNOWN, Arrays.copyOfRange(body, MAGIC.length, body.length));
        } catch (InvalidProtocolBufferException e) {
            throw new ProtobufDecodeException("malformed protobuf envelope: " + e.getMessage(), e);
        }
        // kube-apiserver writes no content encoding; a compressed payload is not something clients send.
        String contentEncoding = (String) field(unknown, Unknown.CONTENTENCODING_FIELD_NUMBER);
        if (!contentEncoding.isEmpty()) {
            throw new ProtobufDecodeException("unsupported content encoding " + contentEncoding);
        }
        Message typeMeta = (Message) field(unknown, Unknown.TYPEMETA_FIELD_NUMBER);
        String apiVersion = (String) typeMeta.getField(typeMeta.getDescriptorForType().findFieldByName("apiVersion"));
        String kind = (String) typeMeta.getField(typeMeta.getDescriptorForType().findFieldByName("kind"));
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            throw new ProtobufDecodeException("protobuf envelope lacks apiVersion or kind");
        }
        ByteString raw = (ByteString) field(unknown, Unknown.RAW_FIELD_NUMBER);
        return new ProtobufEnvelope(apiVersion, kind, raw.toByteArray());
    }

    private static Object field(Message message, int number) {
        return message.getField(message.getDescriptorForType().findFieldByNumber(number));
    }
}
