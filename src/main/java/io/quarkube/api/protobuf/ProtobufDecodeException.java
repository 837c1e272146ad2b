package io.quarkube.api.protobuf;

/** A protobuf request body that quarkube cannot read; the REST layer answers it with 400 BadRequest. */
public final class ProtobufDecodeException extends RuntimeException {

    public ProtobufDecodeException(String message) {
        super(message);
    }

    public ProtobufDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
