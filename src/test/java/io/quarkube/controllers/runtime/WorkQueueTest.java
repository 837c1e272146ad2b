package io.quarkube.controllers.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WorkQueueTest {

    /** Delayed tasks are collected and run when the test says. */
    private final List<Delayed> delayed = new ArrayList<>();
    private final WorkQueue<String> queue = new WorkQueue<>((delay, task) -> delayed.add(new Delayed(delay, task)));

    private record Delayed(Duration delay, Runnable task) {
    }

    @Test
    void aKeyAddedTwiceWaitsOnce() {
        queue.add("a");
        queue.add("a");
        queue.add("b");
        assertEquals(2, queue.length());
        assertEquals("a", queue.next());
        assertEquals("b", queue.next());
        assertNull(queue.next());
    }

    @Test
    void aKeyBeingProcessedIsNotHandedOutAgainUntilDone() {
        queue.add("a");
        assertEquals("a", queue.next());
        queue.add("a");
        assertNull(queue.next(), "a second worker must not get a key in process");
        queue.done("a");
        assertEquals("a", queue.next(), "added during processing, it comes back once done");
        queue.done("a");
        assertNull(queue.next());
    }

    @Test
    void failuresBackOffPerKeyUntilForgotten() {
        queue.addRateLimited("a");
        queue.addRateLimited("a");
        queue.addRateLimited("b");
        assertEquals(List.of(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(5)),
                delayed.stream().map(Delayed::delay).toList());
        assertEquals(2, queue.failures("a"));
        queue.forget("a");
        assertEquals(0, queue.failures("a"));
        delayed.forEach(d -> d.task().run());
        assertEquals(2, queue.length(), "the delayed adds of a and b arrive; a's two collapse into one");
    }

    @Test
    void batchedAddsWithinOnePeriodShareOneAdd() {
        queue.addBatched("a", Duration.ofMillis(500));
        queue.addBatched("a", Duration.ofMillis(500));
        queue.addBatched("b", Duration.ofMillis(500));
        assertEquals(0, queue.length(), "nothing before the period ends");
        delayed.forEach(d -> d.task().run());
        delayed.clear();
        assertEquals(2, queue.length());
        queue.addBatched("a", Duration.ofMillis(500));
        assertEquals(2, delayed.size(), "after the period a new batch starts");
    }

    @Test
    void afterShutDownNothingIsAdded() {
        queue.add("a");
        queue.shutDown();
        queue.add("b");
        assertNull(queue.next());
    }

    static Stream<Arguments> backOffs() {
        return Stream.of(
                Arguments.argumentSet("first failure", 1, Duration.ofMillis(5)),
                Arguments.argumentSet("fourth failure", 4, Duration.ofMillis(40)),
                Arguments.argumentSet("18th failure just under the cap", 18, Duration.ofMillis(5L << 17)),
                Arguments.argumentSet("capped at 1000 s", 19, Duration.ofSeconds(1000)),
                Arguments.argumentSet("no overflow after many failures", 500, Duration.ofSeconds(1000)));
    }

    @ParameterizedTest
    @MethodSource("backOffs")
    void backOffDoublesFrom5msTo1000s(int attempts, Duration expected) {
        assertEquals(expected, WorkQueue.backOff(attempts));
    }
}
