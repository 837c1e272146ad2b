package io.quarkube.agent.pods;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkube.agent.cri.v1.ContainerState;
import io.quarkube.agent.cri.v1.ContainerStatus;
import io.quarkube.agent.cri.v1.Mount;

class TerminationMessagesTest {

    private static final String LOG = """
            2026-11-26T04:00:00.000000001Z stdout F first
            2026-11-26T04:00:00.000000002Z stderr P half a
            2026-11-26T04:00:00.000000003Z stderr F  line
            2026-11-26T04:00:00.000000004Z stdout F last
            """;

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        return Stream.of(
                // file content, policy, exit code, runtime message → message
                Arguments.of("bye", "File", 0, "", "bye"),
                Arguments.of("bye", "File", 1, "", "bye"),
                Arguments.of("", "File", 1, "", ""),
                Arguments.of("", "FallbackToLogsOnError", 1, "", "first\nhalf a line\nlast\n"),
                Arguments.of("", "FallbackToLogsOnError", 0, "", ""),
                Arguments.of("from file", "FallbackToLogsOnError", 1, "", "from file"),
                Arguments.of("bye", "File", 137, "OOMKilled", "OOMKilled: bye"),
                Arguments.of("x".repeat(5000), "File", 0, "", "x".repeat(TerminationMessages.MAX_FILE_BYTES)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void messageOfAnExitedContainer(String file, String policy, int exitCode, String runtimeMessage, String expected) throws Exception {
        Path messageFile = Files.writeString(dir.resolve("termination-log"), file);
        Path log = Files.writeString(dir.resolve("0.log"), LOG);
        ContainerStatus status = ContainerStatus.newBuilder().setState(ContainerState.CONTAINER_EXITED).setExitCode(exitCode)
                .setMessage(runtimeMessage).setLogPath(log.toString())
                .putAnnotations(PodLabels.TERMINATION_MESSAGE_PATH, "/dev/termination-log")
                .putAnnotations(PodLabels.TERMINATION_MESSAGE_POLICY, policy)
                .addMounts(Mount.newBuilder().setContainerPath("/data").setHostPath(dir.toString()))
                .addMounts(Mount.newBuilder().setContainerPath("/dev/termination-log").setHostPath(messageFile.toString()))
                .build();

        assertEquals(expected, TerminationMessages.message(status));
    }

    @Test
    void aRunningContainerHasOnlyTheRuntimesMessage() throws Exception {
        Path messageFile = Files.writeString(dir.resolve("termination-log"), "early");
        ContainerStatus status = ContainerStatus.newBuilder().setState(ContainerState.CONTAINER_RUNNING)
                .putAnnotations(PodLabels.TERMINATION_MESSAGE_PATH, "/dev/termination-log")
                .addMounts(Mount.newBuilder().setContainerPath("/dev/termination-log").setHostPath(messageFile.toString()))
                .build();

        assertEquals("", TerminationMessages.message(status));
    }

    @Test
    void theLogFallbackKeepsTheLast80LinesAndAtMost2048Bytes() throws Exception {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            log.append("2026-11-26T04:00:00Z stdout F line ").append(i).append('\n');
        }
        Path file = Files.writeString(dir.resolve("lines.log"), log);
        String tail = TerminationMessages.logTail(file);
        assertEquals("line 20\n", tail.substring(0, "line 20\n".length()));
        assertEquals("line 99\n", tail.substring(tail.length() - "line 99\n".length()));

        Path wide = Files.writeString(dir.resolve("wide.log"), "2026-11-26T04:00:00Z stdout F " + "y".repeat(3000) + "\n");
        assertEquals(TerminationMessages.MAX_LOG_BYTES, TerminationMessages.logTail(wide).length());
    }
}
