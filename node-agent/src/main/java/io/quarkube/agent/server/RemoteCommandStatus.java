package io.quarkube.agent.server;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * The Status an exec or attach ends with on the WebSocket's error channel, read from what the
 * runtime wrote on the error stream of its v4 channel protocol, as kube-apiserver's stream
 * translator reads it: nothing or {@code Success} is success; {@code NonZeroExitCode} with an
 * {@code ExitCode} cause becomes that exit code (kubectl exits with it); anything else is an
 * {@code InternalError} carrying the runtime's message.
 */
final class RemoteCommandStatus {

    static final String NON_ZERO_EXIT_CODE = "NonZeroExitCode";
    static final String EXIT_CODE_CAUSE = "ExitCode";

    private RemoteCommandStatus() {
    }

    /** The Status for the error stream's whole content (empty when the runtime wrote nothing). */
    static Status fromErrorStream(byte[] message) {
        if (message.length == 0) {
            return success();
        }
        String text = new String(message, StandardCharsets.UTF_8);
        Status status;
        try {
            status = Serialization.unmarshal(text, Status.class);
        } catch (RuntimeException e) {
            return internalError("error stream protocol error: " + e.getMessage() + " in \"" + text + "\"");
        }
        if (status == null || status.getStatus() == null) {
            return internalError("error stream protocol error: unknown error");
        }
        return switch (status.getStatus()) {
            case "Success" -> success();
            case "Failure" -> NON_ZERO_EXIT_CODE.equals(status.getReason()) ? exitCodeOf(status) : internalError(status.getMessage());
            default -> internalError("error stream protocol error: unknown error");
        };
    }

    private static Status exitCodeOf(Status status) {
        if (status.getDetails() == null) {
            return internalError("error stream protocol error: details must be set");
        }
        List<StatusCause> causes = status.getDetails().getCauses() == null ? List.of() : status.getDetails().getCauses();
        for (StatusCause cause : causes) {
            if (!EXIT_CODE_CAUSE.equals(cause.getReason())) {
                continue;
            }
            try {
                int code = Integer.parseInt(cause.getMessage());
                if (code < 0 || code > 255) {
                    throw new NumberFormatException();
                }
                return exitCode(code);
            } catch (NumberFormatException e) {
                return internalError("error stream protocol error: invalid exit code value \"" + cause.getMessage() + "\"");
            }
        }
        return internalError("error stream protocol error: no " + EXIT_CODE_CAUSE + " cause given");
    }

    static Status success() {
        return new StatusBuilder().withNewMetadata().endMetadata().withStatus("Success").build();
    }

    static Status exitCode(int code) {
        return new StatusBuilder().withNewMetadata().endMetadata().withStatus("Failure").withReason(NON_ZERO_EXIT_CODE)
                .withMessage("command terminated with non-zero exit code: command terminated with exit code " + code)
                .withNewDetails().withCauses(List.of(new StatusCauseBuilder().withReason(EXIT_CODE_CAUSE).withMessage(String.valueOf(code)).build())).endDetails()
                .build();
    }

    static Status internalError(String message) {
        return new StatusBuilder().withNewMetadata().endMetadata().withStatus("Failure").withCode(500).withReason("InternalError")
                .withMessage("Internal error occurred: " + message)
                .withNewDetails().withCauses(List.of(new StatusCauseBuilder().withMessage(message).build())).endDetails()
                .build();
    }

    static byte[] json(Status status) {
        return Serialization.asJson(status).getBytes(StandardCharsets.UTF_8);
    }
}
