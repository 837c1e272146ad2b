package io.quarkube.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Polling with a deadline, for outcomes that arrive asynchronously (a controller's work) and that
 * no watch in the test observes directly. Fails the test with what it waited for.
 */
public final class Await {

    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(20);
    private static final long POLL_MILLIS = 100;

    private Await() {
    }

    public static void until(String what, BooleanSupplier condition) {
        until(what, DEFAULT_DEADLINE, condition);
    }

    public static void until(String what, Duration deadline, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out after " + deadline.toSeconds() + " s waiting for " + what);
            }
            pause(POLL_MILLIS);
        }
    }

    /** Asserts that the condition holds throughout the period (nothing late undoes it). */
    public static void holds(String what, Duration period, BooleanSupplier condition) {
        long end = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < end) {
            if (!condition.getAsBoolean()) {
                fail("no longer true: " + what);
            }
            pause(POLL_MILLIS);
        }
    }

    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }
}
