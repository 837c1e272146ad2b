package io.quarkube.api.table;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HumanDurationTest {

    static Stream<Arguments> durations() {
        return Stream.of(
                Arguments.argumentSet("two seconds in the future is invalid", Duration.ofSeconds(-2), "<invalid>"),
                Arguments.argumentSet("one second in the future reads as now", Duration.ofMillis(-1500), "0s"),
                Arguments.argumentSet("zero", Duration.ZERO, "0s"),
                Arguments.argumentSet("seconds", Duration.ofSeconds(5), "5s"),
                Arguments.argumentSet("fractions are truncated", Duration.ofMillis(5999), "5s"),
                Arguments.argumentSet("seconds up to two minutes", Duration.ofSeconds(119), "119s"),
                Arguments.argumentSet("whole minutes", Duration.ofMinutes(2), "2m"),
                Arguments.argumentSet("minutes and seconds", Duration.ofSeconds(200), "3m20s"),
                Arguments.argumentSet("minutes only from ten", Duration.ofSeconds(10 * 60 + 30), "10m"),
                Arguments.argumentSet("minutes up to three hours", Duration.ofMinutes(179), "179m"),
                Arguments.argumentSet("whole hours", Duration.ofHours(3), "3h"),
                Arguments.argumentSet("hours and minutes", Duration.ofMinutes(5 * 60 + 12), "5h12m"),
                Arguments.argumentSet("hours only from eight", Duration.ofMinutes(8 * 60 + 30), "8h"),
                Arguments.argumentSet("hours up to two days", Duration.ofHours(47), "47h"),
                Arguments.argumentSet("days and hours", Duration.ofHours(2 * 24 + 5), "2d5h"),
                Arguments.argumentSet("whole days", Duration.ofDays(3), "3d"),
                Arguments.argumentSet("days only from eight", Duration.ofHours(9 * 24 + 5), "9d"),
                Arguments.argumentSet("days up to two years", Duration.ofDays(729), "729d"),
                Arguments.argumentSet("years and days", Duration.ofDays(3 * 365 + 12), "3y12d"),
                Arguments.argumentSet("whole years", Duration.ofDays(2 * 365), "2y"),
                Arguments.argumentSet("years only from eight", Duration.ofDays(9 * 365 + 40), "9y"));
    }

    @ParameterizedTest
    @MethodSource("durations")
    void formatsLikeKubectlAges(Duration duration, String expected) {
        assertEquals(expected, HumanDuration.format(duration));
    }
}
