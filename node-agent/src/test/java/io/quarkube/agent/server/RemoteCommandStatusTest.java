package io.quarkube.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Status;
import io.vertx.core.json.JsonObject;

/** What the WebSocket's error channel carries for each content of the runtime's error stream. */
class RemoteCommandStatusTest {

    static Stream<Arguments> errorStreams() {
        return Stream.of(
                Arguments.argumentSet("nothing written: success", "",
                        "{\"metadata\":{},\"status\":\"Success\"}"),
                Arguments.argumentSet("the runtime's success", "{\"metadata\":{},\"status\":\"Success\"}",
                        "{\"metadata\":{},\"status\":\"Success\"}"),
                Arguments.argumentSet("an exit code", "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit code: "
                        + "error executing command [sh -c exit 3], exit code 3\",\"reason\":\"NonZeroExitCode\","
                        + "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}",
                        "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit code: command terminated "
                        + "with exit code 3\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}"),
                Arguments.argumentSet("an exit code among other causes", "{\"status\":\"Failure\",\"reason\":\"NonZeroExitCode\","
                        + "\"details\":{\"causes\":[{\"reason\":\"Other\",\"message\":\"x\"},{\"reason\":\"ExitCode\",\"message\":\"255\"}]}}",
                        "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit code: command terminated "
                        + "with exit code 255\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"255\"}]}}"),
                Arguments.argumentSet("an exit code out of range", "{\"status\":\"Failure\",\"reason\":\"NonZeroExitCode\","
                        + "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"256\"}]}}",
                        internalError("error stream protocol error: invalid exit code value \\\"256\\\"")),
                Arguments.argumentSet("an exit code without details", "{\"status\":\"Failure\",\"reason\":\"NonZeroExitCode\"}",
                        internalError("error stream protocol error: details must be set")),
                Arguments.argumentSet("an exit code without its cause", "{\"status\":\"Failure\",\"reason\":\"NonZeroExitCode\","
                        + "\"details\":{\"causes\":[]}}",
                        internalError("error stream protocol error: no ExitCode cause given")),
                Arguments.argumentSet("another failure: its message", "{\"status\":\"Failure\",\"reason\":\"InternalError\","
                        + "\"message\":\"failed to exec in container: executable file not found\"}",
                        internalError("failed to exec in container: executable file not found")),
                Arguments.argumentSet("neither success nor failure", "{\"status\":\"Pending\"}",
                        internalError("error stream protocol error: unknown error")));
    }

    private static String internalError(String message) {
        return "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"Internal error occurred: " + message + "\",\"reason\":\"InternalError\","
                + "\"details\":{\"causes\":[{\"message\":\"" + message + "\"}]},\"code\":500}";
    }

    @ParameterizedTest
    @MethodSource("errorStreams")
    void statusOnTheErrorChannel(String errorStream, String expected) {
        Status status = RemoteCommandStatus.fromErrorStream(errorStream.getBytes(StandardCharsets.UTF_8));
        JsonObject written = new JsonObject(new String(RemoteCommandStatus.json(status), StandardCharsets.UTF_8));
        // apiVersion and kind are the Status's own; the rest is what kube-apiserver writes
        written.remove("apiVersion");
        written.remove("kind");
        assertEquals(new JsonObject(expected), written);
    }

    @Test
    void textThatIsNoStatusIsAProtocolError() {
        Status status = RemoteCommandStatus.fromErrorStream("not json".getBytes(StandardCharsets.UTF_8));
        assertEquals("InternalError", status.getReason());
        assertTrue(status.getMessage().startsWith("Internal error occurred: error stream protocol error: "), status.getMessage());
        assertTrue(status.getMessage().endsWith(" in \"not json\""), status.getMessage());
    }
}
