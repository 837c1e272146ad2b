package io.quarkube.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A failing expectation would block in pop: the timeout turns that into a failure. */
@Timeout(10)
class SchedulingQueueTest {

    private final AtomicLong now = new AtomicLong(0);
    private final SchedulingQueue queue = new SchedulingQueue(now::get);

    private void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }

    @Test
    void podsComeOutInArrivalOrderOnce() throws InterruptedException {
        queue.add("ns/a");
        queue.add("ns/b");
        queue.add("ns/a");
        assertEquals("ns/a", queue.pop());
        assertEquals("ns/b", queue.pop());
        assertEquals(0, queue.size());
    }

    @Test
    void anUnschedulablePodWaitsForAClusterChangeThenItsBackOff() throws InterruptedException {
        queue.add("ns/a");
        queue.pop();
        queue.unschedulable("ns/a");
        queue.add("ns/b");
        assertEquals("ns/b", queue.pop(), "the unschedulable pod is not retried without a change");
        queue.clusterChanged();
        advance(Duration.ofMillis(999));
        queue.add("ns/c");
        assertEquals("ns/c", queue.pop(), "still backing off");
        advance(Duration.ofMillis(1));
        assertEquals("ns/a", queue.pop());
    }

    @Test
    void aPodFoundUnschedulableAfterTheClusterChangedDuringItsCycleRetriesAfterItsBackOff() throws InterruptedException {
        queue.add("ns/a");
        queue.pop();
        queue.clusterChanged();
        queue.unschedulable("ns/a");
        queue.add("ns/b");
        assertEquals("ns/b", queue.pop());
        advance(Duration.ofSeconds(1));
        assertEquals("ns/a", queue.pop(), "the change may be what it needed: it does not wait for another");
    }

    @Test
    void withoutChangesAnUnschedulablePodIsRetriedAfterAMinute() throws InterruptedException {
        queue.add("ns/a");
        queue.pop();
        queue.unschedulable("ns/a");
        advance(SchedulingQueue.MAX_UNSCHEDULABLE);
        assertEquals("ns/a", queue.pop());
    }

    @Test
    void anUpdatedPodIsRetriedAtOnce() throws InterruptedException {
        queue.add("ns/a");
        queue.pop();
        queue.unschedulable("ns/a");
        queue.add("ns/a");
        assertEquals("ns/a", queue.pop());
    }

    @Test
    void aDeletedPodLeavesTheQueue() throws InterruptedException {
        queue.add("ns/a");
        queue.delete("ns/a");
        queue.add("ns/b");
        assertEquals("ns/b", queue.pop());
        assertEquals(0, queue.size());
    }

    @Test
    void backOffDoublesUpToTenSeconds() {
        assertEquals(Duration.ofSeconds(1), SchedulingQueue.backOff(1));
        assertEquals(Duration.ofSeconds(2), SchedulingQueue.backOff(2));
        assertEquals(Duration.ofSeconds(8), SchedulingQueue.backOff(4));
        assertEquals(Duration.ofSeconds(10), SchedulingQueue.backOff(5));
        assertEquals(Duration.ofSeconds(10), SchedulingQueue.backOff(40));
    }

    @Test
    void aFailedBindingRetriesAfterItsBackOff() throws InterruptedException {
        queue.add("ns/a");
        queue.pop();
        queue.backOff("ns/a");
        queue.add("ns/b");
        assertEquals("ns/b", queue.pop());
        advance(Duration.ofSeconds(1));
        assertEquals("ns/a", queue.pop());
    }
}
