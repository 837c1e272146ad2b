package io.quarkube.api.table;

import java.time.Duration;

/**
 * Durations written as kubectl prints ages ("45s", "3m20s", "17m", "5h12m", "2d5h", "3y12d"): the
 * rounding of {@code k8s.io/apimachinery/pkg/util/duration.HumanDuration}, which grows coarser as
 * the duration grows.
 */
final class HumanDuration {

    private HumanDuration() {
    }

    static String format(Duration duration) {
        // Truncation toward zero, as Go converts a float of seconds to int.
        long seconds = duration.toMillis() / 1000;
        // Clocks of different machines disagree a little: a second in the future still reads as now.
        if (seconds < -1) {
            return "<invalid>";
        }
        if (seconds < 0) {
            return "0s";
        }
        if (seconds < 60 * 2) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            return withRemainder(minutes, "m", seconds % 60, "s");
        }
        if (minutes < 60 * 3) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 8) {
            return withRemainder(hours, "h", minutes % 60, "m");
        }
        if (hours < 48) {
            return hours + "h";
        }
        if (hours < 24 * 8) {
            return withRemainder(hours / 24, "d", hours % 24, "h");
        }
        if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        }
        if (hours < 24 * 365 * 8) {
            long days = hours / 24;
            return withRemainder(days / 365, "y", days % 365, "d");
        }
        return hours / 24 / 365 + "y";
    }

    private static String withRemainder(long whole, String unit, long remainder, String remainderUnit) {
        return remainder == 0 ? whole + unit : whole + unit + remainder + remainderUnit;
    }
}
