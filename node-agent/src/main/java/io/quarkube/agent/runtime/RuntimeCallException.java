package io.quarkube.agent.runtime;

import io.grpc.Status;

/**
 * A container runtime call that failed. {@link #code()} is the gRPC status code the runtime answered
 * with (or {@code UNAVAILABLE}/{@code DEADLINE_EXCEEDED} when it could not be reached in time), so the
 * kubelet logic can tell "gone" ({@code NOT_FOUND}) from "try again" from "broken" without parsing
 * messages. {@link #runtimeMessage()} is the runtime's own text, which the kubelet shows to users
 * (e.g. in a container's waiting message after ErrImagePull).
 */
public class RuntimeCallException extends RuntimeException {

    private final String operation;
    private final Status.Code code;
    private final String runtimeMessage;

    public RuntimeCallException(String operation, Status.Code code, String runtimeMessage, Throwable cause) {
        super(operation + " failed: " + code + (runtimeMessage == null || runtimeMessage.isEmpty() ? "" : ": " + runtimeMessage),
                cause);
        this.operation = operation;
        this.code = code;
        this.runtimeMessage = runtimeMessage == null ? "" : runtimeMessage;
    }

    public RuntimeCallException(String operation, Status.Code code, String runtimeMessage) {
        this(operation, code, runtimeMessage, null);
    }

    /** The CRI call that failed, e.g. "PullImage". */
    public String operation() {
        return operation;
    }

    public Status.Code code() {
        return code;
    }

    /** The runtime's description of the failure; empty when it gave none. */
    public String runtimeMessage() {
        return runtimeMessage;
    }

    public boolean isNotFound() {
        return code == Status.Code.NOT_FOUND;
    }

    /** The runtime could not be reached or did not answer in time: the call may succeed when repeated. */
    public boolean isUnavailable() {
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
    }
}
