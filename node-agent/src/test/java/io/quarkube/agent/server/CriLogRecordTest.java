package io.quarkube.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CriLogRecordTest {

    static Stream<Arguments> lines() {
        return Stream.of(
                Arguments.argumentSet("a full stdout line", "2026-01-02T03:04:05.123456789Z stdout F hello world",
                        "2026-01-02T03:04:05.123456789Z", "stdout", false, "hello world"),
                Arguments.argumentSet("a partial stderr record", "2026-01-02T03:04:05Z stderr P part",
                        "2026-01-02T03:04:05Z", "stderr", true, "part"),
                Arguments.argumentSet("an empty line", "2026-01-02T03:04:05Z stdout F", "2026-01-02T03:04:05Z", "stdout", false, ""),
                Arguments.argumentSet("a time with an offset", "2026-01-02T05:04:05.5+02:00 stdout F x",
                        "2026-01-02T03:04:05.5Z", "stdout", false, "x"),
                Arguments.argumentSet("spaces inside the content stay", "2026-01-02T03:04:05Z stdout F  a  b ",
                        "2026-01-02T03:04:05Z", "stdout", false, " a  b "));
    }

    @ParameterizedTest
    @MethodSource("lines")
    void parsesCriLines(String line, String time, String stream, boolean partial, String content) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        CriLogRecord record = CriLogRecord.parse(bytes, 0, bytes.length).orElseThrow();
        assertEquals(Instant.parse(time), record.time());
        assertEquals(stream, record.stream());
        assertEquals(partial, record.partial());
        assertEquals(content, new String(record.content(), StandardCharsets.UTF_8));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.argumentSet("no fields", "garbage"),
                Arguments.argumentSet("not a time", "yesterday stdout F x"),
                Arguments.argumentSet("an unknown stream", "2026-01-02T03:04:05Z stdin F x"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void skipsLinesNotInTheCriFormat(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        Optional<CriLogRecord> record = CriLogRecord.parse(bytes, 0, bytes.length);
        assertTrue(record.isEmpty());
    }
}
