package io.quarkube.agent.pods;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.quarkube.agent.cri.v1.ContainerState;

/**
 * What the runtime shows of one pod: its newest sandbox and every container instance it still
 * keeps (the current one and earlier attempts), as read at one moment.
 */
public record ObservedPod(Optional<Sandbox> sandbox, List<Instance> containers) {

    public ObservedPod {
        containers = List.copyOf(containers);
    }

    public static ObservedPod none() {
        return new ObservedPod(Optional.empty(), List.of());
    }

    /** @param ip empty when the sandbox has none (host network, or not ready) */
    public record Sandbox(String id, boolean ready, String ip, int attempt) {
    }

    /** One run of a container; times in nanoseconds since the epoch, 0 when not reached. */
    public record Instance(String name, String id, int attempt, ContainerState state, long createdAt,
            long startedAt, long finishedAt, int exitCode, String reason, String message, String imageRef) {

        public boolean running() {
            return state == ContainerState.CONTAINER_RUNNING;
        }

        public boolean exited() {
            return state == ContainerState.CONTAINER_EXITED;
        }
    }

    /** The container's instances, newest first. */
    public List<Instance> instances(String containerName) {
        return containers.stream().filter(c -> c.name().equals(containerName))
                .sorted(Comparator.comparingInt(Instance::attempt).thenComparingLong(Instance::createdAt).reversed())
                .toList();
    }

    public Optional<Instance> latest(String containerName) {
        return instances(containerName).stream().findFirst();
    }
}
