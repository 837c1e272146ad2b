package io.quarkube.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContainerLogFileTest {

    private static final String LOG = """
            2026-01-02T03:04:01.000000001Z stdout F one
            2026-01-02T03:04:02Z stderr F two
            2026-01-02T03:04:03Z stdout P thr
            2026-01-02T03:04:03.5Z stdout F ee
            2026-01-02T03:04:04Z stdout F four
            """;

    @TempDir
    Path dir;

    static Stream<Arguments> reads() {
        return Stream.of(
                Arguments.argumentSet("everything, partial records joined", options(false, null, null, null), "one\ntwo\nthree\nfour\n"),
                Arguments.argumentSet("the last two lines", options(false, null, 2L, null), "ee\nfour\n"),
                Arguments.argumentSet("more lines than the file has", options(false, null, 50L, null), "one\ntwo\nthree\nfour\n"),
                Arguments.argumentSet("no lines", options(false, null, 0L, null), ""),
                Arguments.argumentSet("since a time", options(false, Instant.parse("2026-01-02T03:04:03Z"), null, null), "three\nfour\n"),
                Arguments.argumentSet("a byte limit cuts the output", options(false, null, null, 6L), "one\ntw"),
                Arguments.argumentSet("timestamps as the kubelet writes them", options(true, null, 1L, null),
                        "2026-01-02T03:04:04.000000000Z four\n"),
                Arguments.argumentSet("timestamps on partial records", options(true, null, 2L, null),
                        "2026-01-02T03:04:03.500000000Z ee\n2026-01-02T03:04:04.000000000Z four\n"));
    }

    private static LogReadOptions options(boolean timestamps, Instant since, Long tailLines, Long limitBytes) {
        return new LogReadOptions(false, false, timestamps, since, tailLines, limitBytes);
    }

    @ParameterizedTest
    @MethodSource("reads")
    void readsAsTheKubeletServesLogs(LogReadOptions options, String expected) throws IOException {
        Path file = Files.writeString(dir.resolve("0.log"), LOG);
        assertEquals(expected, readAll(file, options));
    }

    @Test
    void aLineStillBeingWrittenWaitsForItsEnd() throws IOException {
        Path file = Files.writeString(dir.resolve("0.log"), "2026-01-02T03:04:01Z stdout F first\n2026-01-02T03:04:02Z stdout F sec");
        try (ContainerLogFile log = ContainerLogFile.open(file, options(false, null, null, null))) {
            assertEquals("first\n", new String(log.read().output(), StandardCharsets.UTF_8));
            assertFalse(log.hasMore());
            Files.writeString(file, "ond\n", StandardOpenOption.APPEND);
            assertTrue(log.hasMore());
            assertEquals("second\n", new String(log.read().output(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void tailsLargeFilesAcrossReadBuffers() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            text.append("2026-01-02T03:04:01Z stdout F line ").append(i).append('\n');
        }
        Path file = Files.writeString(dir.resolve("0.log"), text);
        assertEquals("line 19997\nline 19998\nline 19999\n", readAll(file, options(false, null, 3L, null)));
        assertEquals(20_000, readAll(file, options(false, null, null, null)).lines().count());
    }

    private static String readAll(Path file, LogReadOptions options) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ContainerLogFile log = ContainerLogFile.open(file, options)) {
            while (true) {
                ContainerLogFile.Chunk chunk = log.read();
                out.writeBytes(chunk.output());
                if (chunk.endOfFile() || chunk.limitReached()) {
                    return out.toString(StandardCharsets.UTF_8);
                }
            }
        }
    }
}
