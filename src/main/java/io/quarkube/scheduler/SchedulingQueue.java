package io.quarkube.scheduler;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Pods waiting to be scheduled, by namespace/name, as kube-scheduler's priority queue without
 * priorities: active pods in arrival order; pods that did not fit wait as unschedulable until a
 * node or pod changes (or a minute passes), then retry after their back-off (1 s doubling per
 * failed attempt up to 10 s). Thread-safe; {@link #pop} blocks the scheduling thread only.
 */
final class SchedulingQueue {

    static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    static final Duration MAX_UNSCHEDULABLE = Duration.ofSeconds(60);

    private final LongSupplier clock;
    private final LinkedHashSet<String> active = new LinkedHashSet<>();
    /** Pods to re-activate at a time (nanos): back-off after a failure or after a cluster change. */
    private final Map<String, Long> waiting = new HashMap<>();
    /** Pods that did not fit, and when they were found so (nanos). */
    private final Map<String, Long> unschedulable = new HashMap<>();
    private final Map<String, Integer> attempts = new HashMap<>();
    /** Pods being scheduled, and the count of cluster changes when their cycle began. */
    private final Map<String, Long> inFlight = new HashMap<>();
    /** Cluster changes so far (kube's moveRequestCycle): one during a pod's cycle means its snapshot may be stale. */
    private long clusterChanges;
    private boolean closed;

    SchedulingQueue(LongSupplier clock) {
        this.clock = clock;
    }

    SchedulingQueue() {
        this(System::nanoTime);
    }

    /** A new or changed pending pod: schedule it now (a changed pod may fit where it did not). */
    synchronized void add(String key) {
        unschedulable.remove(key);
        waiting.remove(key);
        if (!inFlight.containsKey(key)) {
            active.add(key);
            notifyAll();
        }
    }

    synchronized void delete(String key) {
        active.remove(key);
        waiting.remove(key);
        unschedulable.remove(key);
        attempts.remove(key);
    }

    /**
     * The pod did not fit: it waits for a change in the cluster. When the cluster changed while its
     * cycle ran, that change may be what it needs: it retries after its back-off instead.
     */
    synchronized void unschedulable(String key) {
        Long changesAtStart = inFlight.remove(key);
        int tries = attempts.merge(key, 1, Integer::sum);
        if (changesAtStart != null && changesAtStart != clusterChanges) {
            waiting.put(key, clock.getAsLong() + backOff(tries).toNanos());
            notifyAll();
            return;
        }
        unschedulable.put(key, clock.getAsLong());
    }

    /** Scheduling failed for a reason other than fit (a failed binding): retry after the back-off. */
    synchronized void backOff(String key) {
        inFlight.remove(key);
        int tries = attempts.merge(key, 1, Integer::sum);
        waiting.put(key, clock.getAsLong() + backOff(tries).toNanos());
        notifyAll();
    }

    /** The pod was bound (or needs no scheduling any more). */
    synchronized void done(String key) {
        inFlight.remove(key);
        attempts.remove(key);
    }

    /** Nodes or pods changed: every unschedulable pod tries again once its back-off has passed. */
    synchronized void clusterChanged() {
        clusterChanges++;
        long now = clock.getAsLong();
        for (String key : unschedulable.keySet()) {
            waiting.put(key, now + remainingBackOff(key, now));
        }
        unschedulable.clear();
        notifyAll();
    }

    private long remainingBackOff(String key, long now) {
        return Math.max(0, backOff(attempts.getOrDefault(key, 1)).toNanos() - (now - unschedulable.getOrDefault(key, now)));
    }

    static Duration backOff(int attempts) {
        long millis = INITIAL_BACKOFF.toMillis() << Math.min(Math.max(attempts - 1, 0), 10);
        return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
    }

    /** The next pod to schedule, waiting for one; null once closed. */
    synchronized String pop() throws InterruptedException {
        while (!closed) {
            promoteDue();
            var iterator = active.iterator();
            if (iterator.hasNext()) {
                String key = iterator.next();
                iterator.remove();
                inFlight.put(key, clusterChanges);
                return key;
            }
            wait(Math.max(1, nextDueMillis()));
        }
        return null;
    }

    synchronized int size() {
        return active.size() + waiting.size() + unschedulable.size();
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }

    private void promoteDue() {
        long now = clock.getAsLong();
        waiting.entrySet().removeIf(entry -> {
            if (entry.getValue() - now <= 0) {
                active.add(entry.getKey());
                return true;
            }
            return false;
        });
        unschedulable.entrySet().removeIf(entry -> {
            if (now - entry.getValue() >= MAX_UNSCHEDULABLE.toNanos()) {
                active.add(entry.getKey());
                return true;
            }
            return false;
        });
    }

    private long nextDueMillis() {
        long now = clock.getAsLong();
        long next = Duration.ofSeconds(1).toNanos();
        for (long due : waiting.values()) {
            next = Math.min(next, due - now);
        }
        return Math.max(1, next / 1_000_000);
    }
}
