package io.quarkube.agent.pods;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class RestartBackoffTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final RestartBackoff backoff = new RestartBackoff(Duration.ofSeconds(10), Duration.ofMinutes(5));

    @Test
    void firstFailureIsRetriedAtOnce() {
        assertEquals(Duration.ZERO, backoff.remaining("c", T0, T0));
    }

    @Test
    void delayDoublesFromTenSecondsToFiveMinutes() {
        Instant t = T0;
        Duration[] expected = {Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40), Duration.ofSeconds(80),
                Duration.ofSeconds(160), Duration.ofMinutes(5), Duration.ofMinutes(5)};
        for (Duration delay : expected) {
            backoff.next("c", t);
            assertEquals(delay, backoff.delay("c"));
            t = t.plus(delay);
        }
    }

    @Test
    void waitIsCountedFromTheFailure() {
        backoff.next("c", T0);
        Instant failed = T0.plusSeconds(3);

        assertEquals(Duration.ofSeconds(6), backoff.remaining("c", failed, failed.plusSeconds(4)));
        assertEquals(Duration.ZERO, backoff.remaining("c", failed, failed.plusSeconds(10)));
    }

    @Test
    void entryUntouchedForTwiceTheMaximumStartsOver() {
        backoff.next("c", T0);
        backoff.next("c", T0.plusSeconds(10));
        Instant muchLater = T0.plus(Duration.ofMinutes(11));

        assertEquals(Duration.ZERO, backoff.remaining("c", muchLater, muchLater));
        backoff.next("c", muchLater);
        assertEquals(Duration.ofSeconds(10), backoff.delay("c"));
    }

    @Test
    void forgettingAPodDropsItsContainersOnly() {
        backoff.next("pod-a/app", T0);
        backoff.next("pod-b/app", T0);

        backoff.forgetPrefix("pod-a/");

        assertEquals(Duration.ZERO, backoff.remaining("pod-a/app", T0, T0));
        assertEquals(Duration.ofSeconds(10), backoff.remaining("pod-b/app", T0, T0));
    }
}
