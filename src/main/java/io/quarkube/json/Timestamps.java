package io.quarkube.json;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Times as Kubernetes writes them in objects (metav1.Time): UTC, whole seconds, "2006-01-02T15:04:05Z". */
public final class Timestamps {

    private Timestamps() {
    }

    public static String of(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    public static String now() {
        return of(Instant.now());
    }
}
