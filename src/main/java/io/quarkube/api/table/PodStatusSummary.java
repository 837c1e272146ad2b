package io.quarkube.api.table;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The READY, STATUS and RESTARTS of a pod, worked out from its container statuses the way the
 * kubelet's reasons are summarised by kube-apiserver: a waiting or terminated reason of the last
 * container that has one wins over the phase, init containers report {@code Init:1/3} or
 * {@code Init:<reason>}, and a pod being deleted shows {@code Terminating}.
 *
 * @param readyContainers ready regular containers plus started, ready sidecars
 * @param totalContainers regular containers plus sidecars (init containers that restart always)
 * @param reason          the STATUS column
 * @param restarts        restarts counted for the column
 * @param lastRestart     when the most recent counted restart ended, if known
 */
record PodStatusSummary(int readyContainers, int totalContainers, String reason, long restarts,
        Optional<Instant> lastRestart) {

    /** The RESTARTS column: "3", or "3 (5m ago)" when the last restart time is known. */
    String restartsCell(Instant now) {
        if (restarts == 0 || lastRestart.isEmpty()) {
            return Long.toString(restarts);
        }
        return restarts + " (" + HumanDuration.format(Duration.between(lastRestart.get(), now)) + " ago)";
    }

    static PodStatusSummary of(JsonNode pod) {
        return new Builder(pod).build();
    }

    /** Walks the statuses once, accumulating what the columns need. */
    private static final class Builder {
        private final JsonNode pod;
        private final JsonNode status;
        private final Set<String> sidecars = new HashSet<>();
        private String reason;
        private int ready;
        private int total;
        private long restarts;
        private Optional<Instant> lastRestart = Optional.empty();

        Builder(JsonNode pod) {
            this.pod = pod;
            this.status = pod.path("status");
            this.reason = Cells.orElse(status.path("reason").asText(), status.path("phase").asText());
            this.total = pod.at("/spec/containers").size();
            for (JsonNode init : pod.at("/spec/initContainers")) {
                if ("Always".equals(init.path("restartPolicy").asText())) {
                    sidecars.add(init.path("name").asText());
                    total++;
                }
            }
        }

        PodStatusSummary build() {
            if (isSchedulingGated()) {
                reason = "SchedulingGated";
            }
            boolean initializing = summariseInitContainers();
            if (!initializing || conditionIsTrue("Initialized")) {
                summariseContainers();
            }
            if (Times.parse(pod.at("/metadata/deletionTimestamp")).isPresent()) {
                if ("NodeLost".equals(status.path("reason").asText())) {
                    reason = "Unknown";
                } else if (!isTerminalPhase()) {
                    reason = "Terminating";
                }
            }
            return new PodStatusSummary(ready, total, reason, restarts, lastRestart);
        }

        private boolean isSchedulingGated() {
            for (JsonNode condition : status.path("conditions")) {
                if ("PodScheduled".equals(condition.path("type").asText())
                        && "SchedulingGated".equals(condition.path("reason").asText())) {
                    return true;
                }
            }
            return false;
        }

        /** Returns whether the pod is still initialising; counts restarts of every init container. */
        private boolean summariseInitContainers() {
            long sidecarRestarts = 0;
            Optional<Instant> lastSidecarRestart = Optional.empty();
            boolean initializing = false;
            int index = 0;
            for (JsonNode container : status.path("initContainerStatuses")) {
                long count = container.path("restartCount").asLong();
                Optional<Instant> finished = lastTerminationFinish(container);
                restarts += count;
                lastRestart = latest(lastRestart, finished);
                boolean sidecar = sidecars.contains(container.path("name").asText());
                if (sidecar) {
                    sidecarRestarts += count;
                    lastSidecarRestart = latest(lastSidecarRestart, finished);
                }
                JsonNode state = container.path("state");
                JsonNode terminated = state.path("terminated");
                JsonNode waiting = state.path("waiting");
                if (terminated.isObject() && terminated.path("exitCode").asLong() == 0) {
                    index++;
                    continue;
                }
                if (sidecar && container.path("started").asBoolean(false)) {
                    if (container.path("ready").asBoolean(false)) {
                        ready++;
                    }
                    index++;
                    continue;
                }
                if (terminated.isObject()) {
                    reason = "Init:" + terminationReason(terminated);
                } else if (waiting.isObject() && !waiting.path("reason").asText().isEmpty()
                        && !"PodInitializing".equals(waiting.path("reason").asText())) {
                    reason = "Init:" + waiting.path("reason").asText();
                } else {
                    reason = "Init:" + index + "/" + pod.at("/spec/initContainers").size();
                }
                initializing = true;
                break;
            }
            if (!initializing || conditionIsTrue("Initialized")) {
                // Once initialised, only sidecars keep counting next to the regular containers.
                restarts = sidecarRestarts;
                lastRestart = lastSidecarRestart;
            }
            return initializing;
        }

        /** Regular containers, last to first, so the first container's reason wins. */
        private void summariseContainers() {
            JsonNode statuses = status.path("containerStatuses");
            boolean hasRunning = false;
            for (int i = statuses.size() - 1; i >= 0; i--) {
                JsonNode container = statuses.get(i);
                restarts += container.path("restartCount").asLong();
                lastRestart = latest(lastRestart, lastTerminationFinish(container));
                JsonNode waiting = container.at("/state/waiting");
                JsonNode terminated = container.at("/state/terminated");
                if (waiting.isObject() && !waiting.path("reason").asText().isEmpty()) {
                    reason = waiting.path("reason").asText();
                } else if (terminated.isObject()) {
                    reason = terminationReason(terminated);
                } else if (container.path("ready").asBoolean(false) && container.at("/state/running").isObject()) {
                    hasRunning = true;
                    ready++;
                }
            }
            // A container that completed next to one still running does not make the pod Completed.
            if ("Completed".equals(reason) && hasRunning) {
                reason = conditionIsTrue("Ready") ? "Running" : "NotReady";
            }
        }

        private static String terminationReason(JsonNode terminated) {
            String text = terminated.path("reason").asText();
            if (!text.isEmpty()) {
                return text;
            }
            long signal = terminated.path("signal").asLong();
            return signal != 0 ? "Signal:" + signal : "ExitCode:" + terminated.path("exitCode").asLong();
        }

        private static Optional<Instant> lastTerminationFinish(JsonNode containerStatus) {
            return Times.parse(containerStatus.at("/lastState/terminated/finishedAt"));
        }

        private static Optional<Instant> latest(Optional<Instant> a, Optional<Instant> b) {
            if (a.isEmpty()) {
                return b;
            }
            if (b.isEmpty()) {
                return a;
            }
            return a.get().isAfter(b.get()) ? a : b;
        }

        private boolean conditionIsTrue(String type) {
            for (JsonNode condition : status.path("conditions")) {
                if (type.equals(condition.path("type").asText())) {
                    return "True".equals(condition.path("status").asText());
                }
            }
            return false;
        }

        private boolean isTerminalPhase() {
            String phase = status.path("phase").asText();
            return "Succeeded".equals(phase) || "Failed".equals(phase);
        }
    }
}
