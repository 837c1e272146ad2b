package io.quarkube.api.openapi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import com.google.protobuf.CodedOutputStream;

/** A protobuf message being written field by field; proto3 defaults (empty, false) are left out. */
final class ProtoMessage {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

    ProtoMessage string(int field, String value) {
        if (value != null && !value.isEmpty()) {
            write(() -> out.writeString(field, value));
        }
        return this;
    }

    ProtoMessage bool(int field, boolean value) {
        if (value) {
            write(() -> out.writeBool(field, true));
        }
        return this;
    }

    /** Written even when empty: an empty message still sets a oneof or a repeated element. */
    ProtoMessage message(int field, ProtoMessage value) {
        byte[] encoded = value.toByteArray();
        write(() -> out.writeByteArray(field, encoded));
        return this;
    }

    byte[] toByteArray() {
        write(out::flush);
        return bytes.toByteArray();
    }

    private interface Write {
        void run() throws IOException;
    }

    private static void write(Write write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
