package io.quarkube.agent.pods;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;

/**
 * A pod's status as the kubelet reports it, computed from the pod and what the runtime shows:
 * phase, conditions, addresses, start time and the statuses of init and app containers. Pure.
 */
public final class PodStatuses {

    /**
     * Why a container is not running while the kubelet waits (CrashLoopBackOff, ErrImagePull,
     * ImagePullBackOff, CreateContainerConfigError...), overriding what the runtime shows.
     */
    public record Waiting(String reason, String message) {
    }

    /**
     * @param runtimeName prefix of container IDs ("containerd://...")
     * @param readiness   container name → result of its readiness probe; a running container without an entry is ready
     * @param started     container name → whether its startup probe passed; a running container without an entry has started
     */
    public record Inputs(ObservedPod observed, Map<String, Waiting> waiting, Map<String, Boolean> readiness,
            Map<String, Boolean> started, String hostIp, String runtimeName, Instant now) {
    }

    private PodStatuses() {
    }

    public static PodStatus status(Pod pod, Inputs in) {
        PodStatus old = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        List<ContainerStatus> initStatuses = new ArrayList<>();
        for (Container container : pod.getSpec().getInitContainers()) {
            initStatuses.add(containerStatus(container, true, in, "PodInitializing"));
        }
        boolean initialized = initStatuses.stream().allMatch(PodStatuses::succeeded);
        List<ContainerStatus> statuses = new ArrayList<>();
        for (Container container : pod.getSpec().getContainers()) {
            statuses.add(containerStatus(container, false, in, initialized ? "ContainerCreating" : "PodInitializing"));
        }
        String phase = phase(pod, initStatuses, statuses, old.getPhase());
        Optional<ObservedPod.Sandbox> sandbox = in.observed().sandbox();
        boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
        String podIp = hostNetwork ? in.hostIp()
                : sandbox.filter(ObservedPod.Sandbox::ready).map(ObservedPod.Sandbox::ip).filter(ip -> !ip.isEmpty()).orElse(old.getPodIP());

        Conditions conditions = new Conditions(old.getConditions(), in.now());
        conditions.set("PodReadyToStartContainers", sandbox.map(ObservedPod.Sandbox::ready).orElse(false) && !isTerminal(phase), null, null);
        List<String> unfinishedInit = pod.getSpec().getInitContainers().stream().map(Container::getName)
                .filter(name -> initStatuses.stream().noneMatch(s -> s.getName().equals(name) && succeeded(s))).toList();
        if (unfinishedInit.isEmpty() || phase.equals("Succeeded")) {
            conditions.set("Initialized", true, phase.equals("Succeeded") && !unfinishedInit.isEmpty() ? "PodCompleted" : null, null);
        } else {
            conditions.set("Initialized", false, "ContainersNotInitialized", "containers with incomplete status: " + unfinishedInit);
        }
        List<String> unready = statuses.stream().filter(s -> !Boolean.TRUE.equals(s.getReady())).map(ContainerStatus::getName).toList();
        if (isTerminal(phase)) {
            conditions.set("ContainersReady", false, "PodCompleted", null);
            conditions.set("Ready", false, "PodCompleted", null);
        } else if (!unready.isEmpty()) {
            String message = "containers with unready status: " + unready;
            conditions.set("ContainersReady", false, "ContainersNotReady", message);
            conditions.set("Ready", false, "ContainersNotReady", message);
        } else {
            conditions.set("ContainersReady", true, null, null);
            conditions.set("Ready", true, null, null);
        }
        conditions.set("PodScheduled", true, null, null);

        io.fabric8.kubernetes.api.model.PodStatusBuilder status = new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                .withPhase(phase)
                .withConditions(conditions.ordered())
                .withHostIP(in.hostIp())
                .withHostIPs(new HostIP(in.hostIp()))
                .withStartTime(old.getStartTime() != null ? old.getStartTime() : time(in.now()))
                .withQosClass(old.getQosClass())
                .withInitContainerStatuses(initStatuses)
                .withContainerStatuses(statuses);
        if (podIp != null && !podIp.isEmpty()) {
            status.withPodIP(podIp).withPodIPs(new PodIP(podIp));
        }
        return status.build();
    }

    /** The kubelet's getPhase. */
    static String phase(Pod pod, List<ContainerStatus> initStatuses, List<ContainerStatus> statuses, String oldPhase) {
        if (isTerminal(oldPhase)) {
            return oldPhase;
        }
        String restartPolicy = Objects.requireNonNullElse(pod.getSpec().getRestartPolicy(), "Always");
        for (ContainerStatus init : initStatuses) {
            if (succeeded(init)) {
                continue;
            }
            ContainerState state = init.getState();
            boolean failed = state.getTerminated() != null
                    || (state.getWaiting() != null && init.getLastState() != null && init.getLastState().getTerminated() != null);
            if (failed && restartPolicy.equals("Never")) {
                return "Failed";
            }
            return "Pending";
        }
        int running = 0;
        int waiting = 0;
        int stopped = 0;
        int succeeded = 0;
        for (ContainerStatus status : statuses) {
            ContainerState state = status.getState();
            if (state.getRunning() != null) {
                running++;
            } else if (state.getTerminated() != null) {
                stopped++;
                if (state.getTerminated().getExitCode() == 0) {
                    succeeded++;
                }
            } else if (status.getLastState() != null && status.getLastState().getTerminated() != null) {
                stopped++;
            } else {
                waiting++;
            }
        }
        if (waiting > 0) {
            return "Pending";
        }
        if (running > 0) {
            return "Running";
        }
        if (stopped > 0) {
            if (restartPolicy.equals("Always")) {
                return "Running";
            }
            if (stopped == succeeded) {
                return "Succeeded";
            }
            if (restartPolicy.equals("Never")) {
                return "Failed";
            }
            return "Running";
        }
        return "Pending";
    }

    static boolean isTerminal(String phase) {
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private static boolean succeeded(ContainerStatus status) {
        return status.getState().getTerminated() != null && status.getState().getTerminated().getExitCode() == 0;
    }

    static ContainerStatus containerStatus(Container container, boolean init, Inputs in, String defaultWaitingReason) {
        List<ObservedPod.Instance> instances = in.observed().instances(container.getName());
        ContainerStatusBuilder status = new ContainerStatusBuilder()
                .withName(container.getName())
                .withImage(container.getImage())
                .withImageID("")
                .withRestartCount(0)
                .withReady(false)
                .withStarted(false);
        Waiting waiting = in.waiting().get(container.getName());
        if (instances.isEmpty()) {
            Waiting shown = waiting != null ? waiting : new Waiting(defaultWaitingReason, null);
            return status.withState(waitingState(shown)).build();
        }
        ObservedPod.Instance latest = instances.get(0);
        status.withRestartCount(latest.attempt())
                .withContainerID(in.runtimeName() + "://" + latest.id())
                .withImageID(latest.imageRef() == null ? "" : latest.imageRef());
        Optional<ObservedPod.Instance> previous = instances.stream().skip(1).filter(ObservedPod.Instance::exited).findFirst();
        if (waiting != null && latest.exited()) {
            status.withState(waitingState(waiting)).withLastState(terminatedState(latest, in.runtimeName()));
            return status.build();
        }
        previous.ifPresent(p -> status.withLastState(terminatedState(p, in.runtimeName())));
        if (latest.running()) {
            boolean started = in.started().getOrDefault(container.getName(), true);
            boolean ready = !init && started && in.readiness().getOrDefault(container.getName(), true);
            status.withState(new ContainerStateBuilder().withNewRunning().withStartedAt(time(latest.startedAt())).endRunning().build())
                    .withReady(ready)
                    .withStarted(started);
        } else if (latest.exited()) {
            status.withState(terminatedState(latest, in.runtimeName()))
                    .withReady(init && latest.exitCode() == 0);
        } else {
            status.withState(waitingState(waiting != null ? waiting : new Waiting(defaultWaitingReason, null)));
        }
        return status.build();
    }

    private static ContainerState waitingState(Waiting waiting) {
        return new ContainerStateBuilder().withNewWaiting().withReason(waiting.reason()).withMessage(waiting.message()).endWaiting().build();
    }

    private static ContainerState terminatedState(ObservedPod.Instance instance, String runtimeName) {
        String reason = instance.reason() == null || instance.reason().isEmpty()
                ? (instance.exitCode() == 0 ? "Completed" : "Error") : instance.reason();
        return new ContainerStateBuilder().withNewTerminated()
                .withExitCode(instance.exitCode())
                .withReason(reason)
                .withMessage(instance.message() == null || instance.message().isEmpty() ? null : instance.message())
                .withStartedAt(instance.startedAt() == 0 ? null : time(instance.startedAt()))
                .withFinishedAt(instance.finishedAt() == 0 ? null : time(instance.finishedAt()))
                .withContainerID(runtimeName + "://" + instance.id())
                .endTerminated().build();
    }

    static String time(long epochNanos) {
        return time(Instant.ofEpochSecond(0, epochNanos));
    }

    static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The pod's conditions in the kubelet's order, keeping a condition's transition time while its status stays. */
    private static final class Conditions {
        private static final List<String> ORDER = List.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled");
        private final List<PodCondition> old;
        private final Instant now;
        private final List<PodCondition> updated = new ArrayList<>();

        Conditions(List<PodCondition> old, Instant now) {
            this.old = old == null ? List.of() : old;
            this.now = now;
        }

        void set(String type, boolean value, String reason, String message) {
            String status = value ? "True" : "False";
            Optional<PodCondition> previous = old.stream().filter(c -> c.getType().equals(type)).findFirst();
            if (type.equals("PodScheduled") && previous.isPresent()) {
                updated.add(previous.get());
                return;
            }
            String transition = previous.filter(c -> status.equals(c.getStatus())).map(PodCondition::getLastTransitionTime)
                    .orElse(time(now));
            updated.add(new PodConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                    .withLastTransitionTime(transition).withLastProbeTime(null).build());
        }

        List<PodCondition> ordered() {
            List<PodCondition> result = new ArrayList<>();
            for (String type : ORDER) {
                updated.stream().filter(c -> c.getType().equals(type)).forEach(result::add);
            }
            // Conditions others own (readiness gates, DisruptionTarget) stay as they are.
            old.stream().filter(c -> !ORDER.contains(c.getType())).forEach(result::add);
            return result;
        }
    }
}
