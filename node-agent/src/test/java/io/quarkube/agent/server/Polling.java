package io.quarkube.agent.server;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import io.quarkube.agent.testing.TestAgents;

/** Waiting for a condition in tests: poll with a deadline ({@link TestAgents#await}), never a fixed sleep. */
final class Polling {

    private static final long INTERVAL_MS = 50;

    private Polling() {
    }

    static void until(Duration timeout, String what, BooleanSupplier condition) {
        TestAgents.await(timeout, what, condition);
    }

    /** As {@link #until(Duration, String, BooleanSupplier)}, describing the wait when it times out (e.g. with the last value seen). */
    static void until(Duration timeout, java.util.function.Supplier<String> what, BooleanSupplier condition) {
        TestAgents.await(timeout, what, condition);
    }

    /** A TCP port free on the loopback address right now. */
    static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The interval between two polls. */
    static void pause() {
        try {
            Thread.sleep(INTERVAL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
