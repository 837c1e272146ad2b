package io.quarkube.cron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CronScheduleTest {

    private static final ZoneId UTC = ZoneId.of("UTC");

    /** Thursday 2026-01-01 10:07:30 UTC as the starting point unless a case says otherwise. */
    private static final String START = "2026-01-01T10:07:30Z";

    static Stream<Arguments> nextTimes() {
        return Stream.of(
                argumentSet("every minute", "* * * * *", START, "UTC", "2026-01-01T10:08Z[UTC]"),
                argumentSet("exactly on a minute, strictly after", "* * * * *", "2026-01-01T10:08:00Z", "UTC", "2026-01-01T10:09Z[UTC]"),
                argumentSet("every 15 minutes", "*/15 * * * *", START, "UTC", "2026-01-01T10:15Z[UTC]"),
                argumentSet("list", "5,20,40 * * * *", START, "UTC", "2026-01-01T10:20Z[UTC]"),
                argumentSet("range with step", "10-30/10 * * * *", START, "UTC", "2026-01-01T10:10Z[UTC]"),
                argumentSet("value with step runs to the maximum", "50/5 * * * *", START, "UTC", "2026-01-01T10:50Z[UTC]"),
                argumentSet("hour range wraps to the next day", "0 1-3 * * *", START, "UTC", "2026-01-02T01:00Z[UTC]"),
                argumentSet("@hourly", "@hourly", START, "UTC", "2026-01-01T11:00Z[UTC]"),
                argumentSet("@daily", "@daily", START, "UTC", "2026-01-02T00:00Z[UTC]"),
                argumentSet("@midnight", "@midnight", START, "UTC", "2026-01-02T00:00Z[UTC]"),
                argumentSet("@weekly is Sunday", "@weekly", START, "UTC", "2026-01-04T00:00Z[UTC]"),
                argumentSet("@monthly", "@monthly", START, "UTC", "2026-02-01T00:00Z[UTC]"),
                argumentSet("@yearly", "@yearly", START, "UTC", "2027-01-01T00:00Z[UTC]"),
                argumentSet("@annually", "@annually", START, "UTC", "2027-01-01T00:00Z[UTC]"),
                argumentSet("weekday names", "0 9 * * MON-FRI", START, "UTC", "2026-01-02T09:00Z[UTC]"),
                argumentSet("weekday names skip the weekend", "0 9 * * mon-fri", "2026-01-02T10:00:00Z", "UTC", "2026-01-05T09:00Z[UTC]"),
                argumentSet("month names", "0 0 1 MAR,jun *", START, "UTC", "2026-03-01T00:00Z[UTC]"),
                argumentSet("question mark as star", "0 12 ? * *", START, "UTC", "2026-01-01T12:00Z[UTC]"),
                argumentSet("both days restricted: either matches", "0 0 15 * MON", START, "UTC", "2026-01-05T00:00Z[UTC]"),
                argumentSet("day of week starred: day of month alone", "0 0 15 * *", START, "UTC", "2026-01-15T00:00Z[UTC]"),
                argumentSet("day of month starred: day of week alone", "0 0 * * 0", START, "UTC", "2026-01-04T00:00Z[UTC]"),
                argumentSet("29 February waits for a leap year", "0 0 29 2 *", START, "UTC", "2028-02-29T00:00Z[UTC]"),
                argumentSet("time zone: 09:00 in Tokyo", "0 9 * * *", START, "Asia/Tokyo", "2026-01-02T09:00+09:00[Asia/Tokyo]"),
                argumentSet("time zone: daily in New York", "30 2 * * *", "2026-01-01T12:00:00Z", "America/New_York",
                        "2026-01-02T02:30-05:00[America/New_York]"));
    }

    @ParameterizedTest
    @MethodSource
    void nextTimes(String schedule, String after, String zone, String expected) {
        ZonedDateTime next = CronSchedule.parse(schedule).next(ZonedDateTime.parse(after), ZoneId.of(zone));
        assertEquals(ZonedDateTime.parse(expected), next);
    }

    @Test
    void neverIsNull() {
        assertNull(CronSchedule.parse("0 0 30 2 *").next(ZonedDateTime.parse(START), UTC));
    }

    @Test
    void aTimeInTheDaylightSavingGapIsSkippedAsKubeDoes() {
        // 2026-03-08 02:30 does not exist in New York (02:00 jumps to 03:00): robfig/cron, and so kube, runs next on the 9th
        ZonedDateTime next = CronSchedule.parse("30 2 * * *").next(ZonedDateTime.parse("2026-03-07T12:00:00Z"), ZoneId.of("America/New_York"));
        assertEquals(ZonedDateTime.parse("2026-03-09T02:30-04:00[America/New_York]"), next);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                argumentSet("empty", ""),
                argumentSet("four fields", "* * * *"),
                argumentSet("six fields", "0 * * * * *"),
                argumentSet("minute 60", "60 * * * *"),
                argumentSet("hour 24", "0 24 * * *"),
                argumentSet("day 0", "0 0 0 * *"),
                argumentSet("month 13", "0 0 1 13 *"),
                argumentSet("weekday 7", "0 0 * * 7"),
                argumentSet("backwards range", "30-10 * * * *"),
                argumentSet("zero step", "*/0 * * * *"),
                argumentSet("word", "every minute please * *"),
                argumentSet("unknown descriptor", "@fortnightly"),
                argumentSet("TZ prefix", "TZ=UTC * * * * *"),
                argumentSet("CRON_TZ prefix", "CRON_TZ=UTC * * * * *"));
    }

    @ParameterizedTest
    @MethodSource
    void invalid(String schedule) {
        assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse(schedule));
    }
}
