package io.quarkube.agent.probes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.quarkube.agent.pods.EventRecorder;
import io.quarkube.agent.pods.ObservedPod;

/**
 * Startup, liveness and readiness probes of the running containers of a node's pods. Called on
 * every sync of a pod; runs the probes that are due and says which containers are started and
 * ready and which must be killed. Until a startup probe succeeds, the other two do not run.
 */
public final class ContainerProbes {

    /** A container to kill because a liveness or startup probe failed out. */
    public record Kill(String containerName, String containerId, String probeKind) {
    }

    public record Verdict(Map<String, Boolean> started, Map<String, Boolean> ready, List<Kill> kills) {
    }

    private record InstanceProbes(String containerId, ProbeState startup, ProbeState liveness, ProbeState readiness) {
    }

    private final HandlerRunner runner;
    private final boolean simulated;
    /** Pod UID → container name → probe states of the container's current instance. */
    private final Map<String, Map<String, InstanceProbes>> pods = new ConcurrentHashMap<>();

    /** @param simulated probes are treated as passing without running them (no containers to reach) */
    public ContainerProbes(HandlerRunner runner, boolean simulated) {
        this.runner = runner;
        this.simulated = simulated;
    }

    public Verdict probe(Pod pod, ObservedPod observed, String podIp, Instant now, EventRecorder events) {
        Map<String, InstanceProbes> states = pods.computeIfAbsent(pod.getMetadata().getUid(), uid -> new ConcurrentHashMap<>());
        Map<String, Boolean> started = new HashMap<>();
        Map<String, Boolean> ready = new HashMap<>();
        List<Kill> kills = new ArrayList<>();
        for (Container container : pod.getSpec().getContainers()) {
            ObservedPod.Instance instance = observed.latest(container.getName()).filter(ObservedPod.Instance::running).orElse(null);
            if (instance == null) {
                states.remove(container.getName());
                continue;
            }
            Instant startedAt = Instant.ofEpochSecond(0, instance.startedAt());
            InstanceProbes probes = states.get(container.getName());
            if (probes == null || !probes.containerId().equals(instance.id())) {
                probes = new InstanceProbes(instance.id(),
                        state(container.getStartupProbe(), startedAt, false),
                        state(container.getLivenessProbe(), startedAt, true),
                        state(container.getReadinessProbe(), startedAt, false));
                states.put(container.getName(), probes);
            }
            boolean isStarted = true;
            if (probes.startup() != null && !probes.startup().result()) {
                isStarted = run(pod, container, instance, probes.startup(), "Startup", podIp, now, events);
                if (!isStarted && probes.startup().failedOut()) {
                    kills.add(new Kill(container.getName(), instance.id(), "startup"));
                }
            }
            started.put(container.getName(), isStarted);
            if (!isStarted) {
                ready.put(container.getName(), false);
                continue;
            }
            if (probes.liveness() != null && probes.liveness().due(now)) {
                boolean alive = run(pod, container, instance, probes.liveness(), "Liveness", podIp, now, events);
                if (!alive) {
                    kills.add(new Kill(container.getName(), instance.id(), "liveness"));
                }
            }
            if (probes.readiness() != null) {
                if (probes.readiness().due(now)) {
                    run(pod, container, instance, probes.readiness(), "Readiness", podIp, now, events);
                }
                ready.put(container.getName(), probes.readiness().result());
            } else {
                ready.put(container.getName(), true);
            }
        }
        return new Verdict(started, ready, kills);
    }

    public void forget(String podUid) {
        pods.remove(podUid);
    }

    /** Runs the probe if due and returns its result (for liveness: false only once it failed out). */
    private boolean run(Pod pod, Container container, ObservedPod.Instance instance, ProbeState state, String kind,
            String podIp, Instant now, EventRecorder events) {
        if (!state.due(now)) {
            return state.result();
        }
        HandlerRunner.Outcome outcome = simulated ? new HandlerRunner.Outcome(true, "") : execute(state.probe(), container, instance, podIp, state);
        state.record(outcome.success(), now);
        if (!outcome.success()) {
            events.record(pod, container.getName(), false, EventRecorder.WARNING, "Unhealthy", kind + " probe failed: " + outcome.message());
        }
        return state.result();
    }

    private HandlerRunner.Outcome execute(Probe probe, Container container, ObservedPod.Instance instance, String podIp, ProbeState state) {
        if (probe.getExec() != null) {
            return runner.exec(probe.getExec(), instance.id(), state.timeout());
        }
        if (probe.getHttpGet() != null) {
            return runner.httpGet(probe.getHttpGet(), container, podIp, state.timeout());
        }
        if (probe.getTcpSocket() != null) {
            return runner.tcpSocket(probe.getTcpSocket(), container, podIp, state.timeout());
        }
        return new HandlerRunner.Outcome(true, "");
    }

    private static ProbeState state(Probe probe, Instant startedAt, boolean initial) {
        return probe == null ? null : new ProbeState(probe, startedAt, initial);
    }
}
