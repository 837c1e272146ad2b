package io.quarkube.controllers.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * client-go's rate-limited work queue: a key waits at most once however often it is added, is
 * never handed to two workers at once (added while processing, it comes back after {@link #done}),
 * and failures re-add it after an exponential back-off per key. Not thread-safe: one thread
 * (the controller's context) owns it.
 */
public final class WorkQueue<K> {

    static final Duration BASE_DELAY = Duration.ofMillis(5);
    static final Duration MAX_DELAY = Duration.ofSeconds(1000);

    private final ArrayDeque<K> queue = new ArrayDeque<>();
    /** Keys that need processing: waiting in the queue, or to be re-queued when their processing ends. */
    private final Set<K> dirty = new HashSet<>();
    private final Set<K> processing = new HashSet<>();
    private final Map<K, Integer> failures = new HashMap<>();
    /** Keys waiting for the end of their batch period. */
    private final Set<K> batching = new HashSet<>();
    /** Runs a task after a delay, back on the owning thread. */
    private final BiConsumer<Duration, Runnable> scheduler;
    private boolean shutDown;

    public WorkQueue(BiConsumer<Duration, Runnable> scheduler) {
        this.scheduler = scheduler;
    }

    public void add(K key) {
        if (shutDown || !dirty.add(key)) {
            return;
        }
        if (!processing.contains(key)) {
            queue.add(key);
        }
    }

    public void addAfter(K key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            add(key);
        } else if (!shutDown) {
            scheduler.accept(delay, () -> add(key));
        }
    }

    /**
     * Adds the key once period has passed, unless it already waits for the end of a period: changes
     * arriving meanwhile share one processing (kube's EndpointUpdatesBatchPeriod).
     */
    public void addBatched(K key, Duration period) {
        if (shutDown || !batching.add(key)) {
            return;
        }
        addAfter(key, period);
        if (period.isZero() || period.isNegative()) {
            batching.remove(key);
        } else {
            scheduler.accept(period, () -> batching.remove(key));
        }
    }

    /** Re-adds a key that failed, after 5 ms doubling per consecutive failure up to 1000 s. */
    public void addRateLimited(K key) {
        int attempts = failures.merge(key, 1, Integer::sum);
        addAfter(key, backOff(attempts));
    }

    static Duration backOff(int attempts) {
        int doublings = Math.min(attempts - 1, 30);
        long millis = BASE_DELAY.toMillis() << doublings;
        return millis >= MAX_DELAY.toMillis() || millis <= 0 ? MAX_DELAY : Duration.ofMillis(millis);
    }

    /** Clears a key's failure count after a success (or a failure not worth retrying). */
    public void forget(K key) {
        failures.remove(key);
    }

    public int failures(K key) {
        return failures.getOrDefault(key, 0);
    }

    /** The next key to process, marked as processing; null when none waits. */
    public K next() {
        K key = queue.poll();
        if (key != null) {
            processing.add(key);
            dirty.remove(key);
        }
        return key;
    }

    /** Ends a key's processing; if it was added meanwhile, it waits again. */
    public void done(K key) {
        processing.remove(key);
        if (dirty.contains(key)) {
            queue.add(key);
        }
    }

    public int length() {
        return queue.size();
    }

    public void shutDown() {
        shutDown = true;
        queue.clear();
        dirty.clear();
        batching.clear();
    }
}
