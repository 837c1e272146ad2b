package io.quarkube.agent.probes;

import java.time.Duration;
import java.time.Instant;

import io.fabric8.kubernetes.api.model.Probe;

/**
 * The running record of one probe of one container instance: when it last ran and its
 * consecutive successes and failures, judged against the probe's thresholds. Pure.
 */
public final class ProbeState {

    private final Probe probe;
    private final Instant containerStarted;
    private Instant lastRun;
    private int successes;
    private int failures;
    private Boolean result;

    /** @param initial the result before the first run: liveness true, readiness and startup false */
    public ProbeState(Probe probe, Instant containerStarted, boolean initial) {
        this.probe = probe;
        this.containerStarted = containerStarted;
        this.result = initial;
    }

    /** Whether the probe is due: past initialDelaySeconds after the start, and periodSeconds after the last run. */
    public boolean due(Instant now) {
        Instant firstRun = containerStarted.plusSeconds(orDefault(probe.getInitialDelaySeconds(), 0));
        if (now.isBefore(firstRun)) {
            return false;
        }
        return lastRun == null || !now.isBefore(lastRun.plus(period()));
    }

    public Duration period() {
        return Duration.ofSeconds(orDefault(probe.getPeriodSeconds(), 10));
    }

    public Duration timeout() {
        return Duration.ofSeconds(orDefault(probe.getTimeoutSeconds(), 1));
    }

    /** Records an outcome; returns true when the probe's result flipped. */
    public boolean record(boolean success, Instant now) {
        lastRun = now;
        if (success) {
            successes++;
            failures = 0;
        } else {
            failures++;
            successes = 0;
        }
        boolean before = result;
        if (success && successes >= orDefault(probe.getSuccessThreshold(), 1)) {
            result = true;
        } else if (!success && failures >= orDefault(probe.getFailureThreshold(), 3)) {
            result = false;
        }
        return before != result;
    }

    /** Whether the consecutive failures have reached failureThreshold. */
    public boolean failedOut() {
        return failures >= orDefault(probe.getFailureThreshold(), 3);
    }

    public boolean result() {
        return result;
    }

    public Probe probe() {
        return probe;
    }

    /** The API server defaults period 10, timeout 1, success 1, failure 3; zero there means unset. */
    private static int orDefault(Integer value, int fallback) {
        return value == null || value <= 0 ? fallback : value;
    }
}
