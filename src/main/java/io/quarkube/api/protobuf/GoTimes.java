package io.quarkube.api.protobuf;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The JSON text of the apimachinery time types, as their Go MarshalJSON methods write it. */
final class GoTimes {

    /** metav1.Time: RFC 3339 in UTC, whole seconds. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    /** metav1.MicroTime: RFC 3339 in UTC with six fraction digits. */
    private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private static final long NANOS_PER_MICRO = 1_000L;
    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private GoTimes() {
    }

    static String time(long seconds, int nanos) {
        return TIME.format(Instant.ofEpochSecond(seconds, nanos));
    }

    static String microTime(long seconds, int nanos) {
        return MICRO_TIME.format(Instant.ofEpochSecond(seconds, nanos));
    }

    /** metav1.Duration: Go's time.Duration.String(), e.g. "1h30m0s", "1.5s", "250ms", "0s". */
    static String duration(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        String sign = nanos < 0 ? "-" : "";
        BigDecimal magnitude = BigDecimal.valueOf(nanos).abs();
        if (magnitude.compareTo(BigDecimal.valueOf(NANOS_PER_SECOND)) < 0) {
            return sign + subSecond(magnitude);
        }
        BigDecimal[] minutesAndNanos = magnitude.divideAndRemainder(BigDecimal.valueOf(60 * NANOS_PER_SECOND));
        long minutes = minutesAndNanos[0].longValueExact();
        String seconds = decimal(minutesAndNanos[1], NANOS_PER_SECOND) + "s";
        if (minutes == 0) {
            return sign + seconds;
        }
        if (minutes < 60) {
            return sign + minutes + "m" + seconds;
        }
        return sign + (minutes / 60) + "h" + (minutes % 60) + "m" + seconds;
    }

    private static String subSecond(BigDecimal nanos) {
        if (nanos.compareTo(BigDecimal.valueOf(NANOS_PER_MICRO)) < 0) {
            return nanos.toPlainString() + "ns";
        }
        if (nanos.compareTo(BigDecimal.valueOf(NANOS_PER_MILLI)) < 0) {
            return decimal(nanos, NANOS_PER_MICRO) + "µs";
        }
        return decimal(nanos, NANOS_PER_MILLI) + "ms";
    }

    /** {@code nanos / unit} without trailing fraction zeros, as Go prints it. */
    private static String decimal(BigDecimal nanos, long unit) {
        BigDecimal value = nanos.divide(BigDecimal.valueOf(unit)).stripTrailingZeros();
        return value.scale() < 0 ? value.setScale(0).toPlainString() : value.toPlainString();
    }
}
