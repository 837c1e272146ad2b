package io.quarkube.api.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GoTimesTest {

    static Stream<Arguments> durations() {
        return Stream.of(
                Arguments.argumentSet("zero", 0L, "0s"),
                Arguments.argumentSet("nanoseconds", 999L, "999ns"),
                Arguments.argumentSet("microseconds", 1_500L, "1.5µs"),
                Arguments.argumentSet("milliseconds", 250_000_000L, "250ms"),
                Arguments.argumentSet("whole seconds", 2_000_000_000L, "2s"),
                Arguments.argumentSet("fractional seconds", 1_500_000_000L, "1.5s"),
                Arguments.argumentSet("minutes", 120_000_000_000L, "2m0s"),
                Arguments.argumentSet("hours", 5_400_000_000_000L, "1h30m0s"),
                Arguments.argumentSet("negative", -90_000_000_000L, "-1m30s"));
    }

    @ParameterizedTest
    @MethodSource("durations")
    void formatsDurationsAsGo(long nanos, String expected) {
        assertEquals(expected, GoTimes.duration(nanos));
    }

    static Stream<Arguments> times() {
        return Stream.of(
                Arguments.argumentSet("epoch", 0L, 0, "1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000000Z"),
                Arguments.argumentSet("nanos dropped or cut to micros", 1704164645L, 123456789,
                        "2024-01-02T03:04:05Z", "2024-01-02T03:04:05.123456Z"));
    }

    @ParameterizedTest
    @MethodSource("times")
    void formatsTimesInUtc(long seconds, int nanos, String time, String microTime) {
        assertEquals(time, GoTimes.time(seconds, nanos));
        assertEquals(microTime, GoTimes.microTime(seconds, nanos));
    }
}
