package io.quarkube.api.protobuf;

import java.util.Arrays;

import com.google.protobuf.InvalidProtocolBufferException;

import io.kubernetes.client.proto.Runtime.Unknown;

/**
 * The frame around every Kubernetes protobuf object: the magic bytes {@code k8s\0} followed by a
 * {@code runtime.Unknown} message that names the object's apiVersion and kind and carries the
 * object's own message as raw bytes.
 *
 * @param apiVersion the object's apiVersion, e.g. "apps/v1"
 * @param kind       the object's kind, e.g. "Deployment"
 * @param raw        the serialized object message
 */
record ProtobufEnvelope(String apiVersion, String kind, byte[] raw) {

    private static final byte[] MAGIC = { 'k', '8', 's', 0 };

    static boolean hasMagic(byte[] body) {
        return body != null && body.length >= MAGIC.length
                && Arrays.equals(body, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    static ProtobufEnvelope parse(byte[] body) {
        if (!hasMagic(body)) {
            throw new ProtobufDecodeException("body does not start with the Kubernetes protobuf magic bytes");
        }
        Unknown unknown;
        try {
            unknown = Unknown.parseFrom(Arrays.copyOfRange(body, MAGIC.length, body.length));
        } catch (InvalidProtocolBufferException e) {
            throw new ProtobufDecodeException("malformed protobuf envelope: " + e.getMessage(), e);
        }
        // kube-apiserver writes no content encoding; a compressed payload is not something clients send.
        if (!unknown.getContentEncoding().isEmpty()) {
            throw new ProtobufDecodeException("unsupported content encoding " + unknown.getContentEncoding());
        }
        String apiVersion = unknown.getTypeMeta().getApiVersion();
        String kind = unknown.getTypeMeta().getKind();
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            throw new ProtobufDecodeException("protobuf envelope lacks apiVersion or kind");
        }
        return new ProtobufEnvelope(apiVersion, kind, unknown.getRaw().toByteArray());
    }
}
