package io.quarkube.api.openapi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

/** A protobuf message read without its schema: field number to raw values, for checking encoders. */
final class WireMessage {

    private final Map<Integer, List<Object>> fields = new LinkedHashMap<>();

    static WireMessage parse(byte[] bytes) {
        return parse(ByteString.copyFrom(bytes));
    }

    static WireMessage parse(ByteString bytes) {
        WireMessage message = new WireMessage();
        try {
            CodedInputStream in = bytes.newCodedInput();
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                int field = WireFormat.getTagFieldNumber(tag);
                Object value = switch (WireFormat.getTagWireType(tag)) {
                    case WireFormat.WIRETYPE_VARINT -> in.readInt64();
                    case WireFormat.WIRETYPE_LENGTH_DELIMITED -> in.readBytes();
                    default -> throw new IllegalArgumentException("unexpected wire type in field " + field);
                };
                message.fields.computeIfAbsent(field, k -> new ArrayList<>()).add(value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return message;
    }

    boolean has(int field) {
        return fields.containsKey(field);
    }

    String string(int field) {
        List<String> values = strings(field);
        return values.isEmpty() ? "" : values.get(values.size() - 1);
    }

    List<String> strings(int field) {
        return fields.getOrDefault(field, List.of()).stream().map(v -> ((ByteString) v).toStringUtf8()).toList();
    }

    boolean bool(int field) {
        return fields.getOrDefault(field, List.of()).stream().anyMatch(v -> (Long) v != 0);
    }

    WireMessage message(int field) {
        List<WireMessage> values = messages(field);
        return values.isEmpty() ? new WireMessage() : values.get(values.size() - 1);
    }

    List<WireMessage> messages(int field) {
        return fields.getOrDefault(field, List.of()).stream().map(v -> parse((ByteString) v)).toList();
    }
}
