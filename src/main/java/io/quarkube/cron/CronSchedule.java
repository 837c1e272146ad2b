package io.quarkube.cron;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A standard five-field cron schedule (minute, hour, day of month, month, day of week) as
 * kube-controller-manager reads {@code spec.schedule} (robfig/cron's standard parser): lists,
 * ranges, steps, {@code *} and {@code ?}, month and weekday names, and the {@code @yearly},
 * {@code @annually}, {@code @monthly}, {@code @weekly}, {@code @daily}, {@code @midnight} and
 * {@code @hourly} shorthands. When both day fields are restricted a day matching either runs
 * (cron's rule); when one is {@code *} only the other restricts. Times are computed as wall-clock
 * times of a zone.
 * <p>
 * Hand-written rather than taken from a cron library because kube's exact rules matter here: the
 * star rule for day fields, {@code ?}, weekday 0-6 only, and no seconds or year fields.
 */
public final class CronSchedule {

    private static final Map<String, String> SHORTHANDS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
    private static final List<String> DAYS = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");
    /** Bit set when a field was written as * or ?: the day-of-month/day-of-week rule needs to know. */
    private static final long STAR = 1L << 63;

    private final long minutes;
    private final long hours;
    private final long daysOfMonth;
    private final long months;
    private final long daysOfWeek;

    private CronSchedule(long minutes, long hours, long daysOfMonth, long months, long daysOfWeek) {
        this.minutes = minutes;
        this.hours = hours;
        this.daysOfMonth = daysOfMonth;
        this.months = months;
        this.daysOfWeek = daysOfWeek;
    }

    /** Parses a schedule; throws {@link IllegalArgumentException} with a readable reason when it is not one. */
    public static CronSchedule parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty spec string");
        }
        String spec = text.trim();
        if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
            throw new IllegalArgumentException("cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
        }
        if (spec.startsWith("@")) {
            String expanded = SHORTHANDS.get(spec.toLowerCase(Locale.ROOT));
            if (expanded == null) {
                throw new IllegalArgumentException("unrecognized descriptor: " + spec);
            }
            spec = expanded;
        }
        String[] fields = spec.split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("expected exactly 5 fields, found " + fields.length + ": " + spec);
        }
        return new CronSchedule(field(fields[0], 0, 59, List.of()), field(fields[1], 0, 23, List.of()),
                field(fields[2], 1, 31, List.of()), field(fields[3], 1, 12, MONTHS), field(fields[4], 0, 6, DAYS));
    }

    /** True when the text parses. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** One comma-separated field as a bit set of the values it allows. */
    private static long field(String text, int min, int max, List<String> names) {
        long bits = 0;
        for (String part : text.split(",", -1)) {
            bits |= range(part, min, max, names);
        }
        return bits;
    }

    /** {@code *}, {@code ?}, {@code n}, {@code n-m}, each optionally {@code /step}; {@code n/step} runs from n to the maximum. */
    private static long range(String part, int min, int max, List<String> names) {
        String[] rangeAndStep = part.split("/", -1);
        if (rangeAndStep.length > 2) {
            throw new IllegalArgumentException("too many slashes: " + part);
        }
        String[] bounds = rangeAndStep[0].split("-", -1);
        int start;
        int end;
        long extra = 0;
        if (bounds[0].equals("*") || bounds[0].equals("?")) {
            if (bounds.length != 1) {
                throw new IllegalArgumentException("a range cannot start with *: " + part);
            }
            start = min;
            end = max;
            extra = STAR;
        } else if (bounds.length == 1) {
            start = value(bounds[0], names, part);
            end = rangeAndStep.length == 2 ? max : start;
        } else if (bounds.length == 2) {
            start = value(bounds[0], names, part);
            end = value(bounds[1], names, part);
        } else {
            throw new IllegalArgumentException("too many hyphens: " + part);
        }
        int step = 1;
        if (rangeAndStep.length == 2) {
            step = value(rangeAndStep[1], List.of(), part);
            if (step <= 0) {
                throw new IllegalArgumentException("step of range should be a positive number: " + part);
            }
            if (step > 1) {
                extra = 0;
            }
        }
        if (start < min) {
            throw new IllegalArgumentException("beginning of range (" + start + ") below minimum (" + min + "): " + part);
        }
        if (end > max) {
            throw new IllegalArgumentException("end of range (" + end + ") above maximum (" + max + "): " + part);
        }
        if (start > end) {
            throw new IllegalArgumentException("beginning of range (" + start + ") beyond end of range (" + end + "): " + part);
        }
        long bits = 0;
        for (int i = start; i <= end; i += step) {
            bits |= 1L << i;
        }
        return bits | extra;
    }

    private static int value(String text, List<String> names, String part) {
        int named = names.indexOf(text.toLowerCase(Locale.ROOT));
        if (named >= 0) {
            // months are 1-based, weekdays 0-based
            return names.size() == 12 ? named + 1 : named;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("failed to parse int from " + text + ": " + part);
        }
    }

    /**
     * The first scheduled time strictly after {@code after}, on the wall clock of {@code zone}; null
     * when none falls within five years (a schedule such as 30 February).
     */
    public ZonedDateTime next(ZonedDateTime after, ZoneId zone) {
        ZonedDateTime t = after.withZoneSameInstant(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        int yearLimit = t.getYear() + 5;
        // like robfig/cron: advance the largest field that does not match, resetting the smaller ones
        wrap:
        while (t.getYear() <= yearLimit) {
            while ((months & (1L << t.getMonthValue())) == 0) {
                t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
                if (t.getMonthValue() == 1) {
                    continue wrap;
                }
            }
            while (!dayMatches(t)) {
                t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
                if (t.getDayOfMonth() == 1) {
                    continue wrap;
                }
            }
            while ((hours & (1L << t.getHour())) == 0) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
                if (t.getHour() == 0) {
                    continue wrap;
                }
            }
            while ((minutes & (1L << t.getMinute())) == 0) {
                t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
                if (t.getMinute() == 0) {
                    continue wrap;
                }
            }
            return t;
        }
        return null;
    }

    private boolean dayMatches(ZonedDateTime t) {
        boolean dom = (daysOfMonth & (1L << t.getDayOfMonth())) != 0;
        boolean dow = (daysOfWeek & (1L << (t.getDayOfWeek().getValue() % 7))) != 0;
        if ((daysOfMonth & STAR) != 0 || (daysOfWeek & STAR) != 0) {
            return dom && dow;
        }
        return dom || dow;
    }
}
