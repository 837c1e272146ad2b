package io.quarkube.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import io.vertx.core.Future;

/**
 * N clients, each issuing its next operation as soon as the previous one completes, for a warm-up
 * and then a measured window; only operations completed inside the window count.
 */
final class ClosedLoop {

    /** @param started operations started in the whole run, warm-up included (for CPU per operation) */
    record Result(long operations, long failures, double seconds, Latencies latencies, long started) {
        double perSecond() {
            return operations / seconds;
        }
    }

    private final int clients;
    private final Duration warmUp;
    private final Duration window;

    ClosedLoop(int clients, Duration warmUp, Duration window) {
        this.clients = clients;
        this.warmUp = warmUp;
        this.window = window;
    }

    /** @param operation given a sequence number, completes with true on success */
    Result run(IntFunction<Future<Boolean>> operation) {
        long start = System.nanoTime();
        long windowStart = start + warmUp.toNanos();
        long windowEnd = windowStart + window.toNanos();
        Latencies latencies = new Latencies();
        AtomicLong operations = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        AtomicLong sequence = new AtomicLong();
        CompletableFuture<?>[] done = new CompletableFuture<?>[clients];
        for (int i = 0; i < clients; i++) {
            done[i] = new CompletableFuture<>();
            next(operation, sequence, latencies, operations, failures, windowStart, windowEnd, done[i]);
        }
        CompletableFuture.allOf(done).join();
        return new Result(operations.get(), failures.get(), (windowEnd - windowStart) / 1e9, latencies, sequence.get());
    }

    private void next(IntFunction<Future<Boolean>> operation, AtomicLong sequence, Latencies latencies,
            AtomicLong operations, AtomicLong failures, long windowStart, long windowEnd, CompletableFuture<?> done) {
        long began = System.nanoTime();
        if (began >= windowEnd) {
            done.complete(null);
            return;
        }
        operation.apply((int) sequence.incrementAndGet()).onComplete(outcome -> {
            long ended = System.nanoTime();
            if (ended >= windowStart && ended < windowEnd) {
                if (outcome.succeeded() && outcome.result()) {
                    operations.incrementAndGet();
                    latencies.record(ended - began);
                } else {
                    failures.incrementAndGet();
                }
            }
            next(operation, sequence, latencies, operations, failures, windowStart, windowEnd, done);
        });
    }
}
