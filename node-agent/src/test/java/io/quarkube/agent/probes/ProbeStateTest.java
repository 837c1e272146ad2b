package io.quarkube.agent.probes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;

class ProbeStateTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void firstRunWaitsForInitialDelayThenEveryPeriod() {
        ProbeState state = new ProbeState(probe(5, 2, 1, 3), START, false);

        assertFalse(state.due(START.plusSeconds(4)));
        assertTrue(state.due(START.plusSeconds(5)));
        state.record(true, START.plusSeconds(5));
        assertFalse(state.due(START.plusSeconds(6)));
        assertTrue(state.due(START.plusSeconds(7)));
    }

    @Test
    void resultFlipsOnlyAtTheThresholds() {
        ProbeState state = new ProbeState(probe(0, 1, 2, 3), START, false);

        assertFalse(state.record(true, START));
        assertTrue(state.record(true, START.plusSeconds(1)), "two successes make it pass");
        assertFalse(state.record(false, START.plusSeconds(2)));
        assertFalse(state.record(false, START.plusSeconds(3)));
        assertTrue(state.result());
        assertTrue(state.record(false, START.plusSeconds(4)), "three failures make it fail");
        assertTrue(state.failedOut());
        assertFalse(state.result());
    }

    @Test
    void unsetFieldsTakeTheApiDefaults() {
        ProbeState state = new ProbeState(new ProbeBuilder().build(), START, true);

        assertEquals(10, state.period().toSeconds());
        assertEquals(1, state.timeout().toSeconds());
        state.record(false, START);
        state.record(false, START);
        assertTrue(state.result());
        state.record(false, START);
        assertFalse(state.result());
    }

    private static Probe probe(int initialDelay, int period, int successThreshold, int failureThreshold) {
        return new ProbeBuilder().withInitialDelaySeconds(initialDelay).withPeriodSeconds(period)
                .withSuccessThreshold(successThreshold).withFailureThreshold(failureThreshold).build();
    }
}
