package io.quarkube.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;

import io.kubernetes.client.proto.Runtime.TypeMeta;
import io.kubernetes.client.proto.Runtime.Unknown;

/** Request bodies as kubectl 1.32 and later send them: application/vnd.kubernetes.protobuf. */
public final class ProtobufBodies {

    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
    private static final byte[] MAGIC = {'k', '8', 's', 0};

    private ProtobufBodies() {
    }

    /** The Kubernetes envelope: the magic bytes, then a runtime.Unknown naming the kind and carrying the message. */
    public static byte[] envelope(String apiVersion, String kind, MessageLite message) {
        byte[] envelope = Unknown.newBuilder().setTypeMeta(TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
                .setRaw(ByteString.copyFrom(message.toByteArray())).setContentEncoding("").setContentType("").build().toByteArray();
        byte[] body = new byte[MAGIC.length + envelope.length];
        System.arraycopy(MAGIC, 0, body, 0, MAGIC.length);
        System.arraycopy(envelope, 0, body, MAGIC.length, envelope.length);
        return body;
    }
}
