package io.quarkube.agent.server;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

import io.quarkube.agent.cri.v1.Container;
import io.quarkube.agent.cri.v1.ContainerFilter;
import io.quarkube.agent.cri.v1.ContainerState;
import io.quarkube.agent.cri.v1.ContainerStatusRequest;
import io.quarkube.agent.cri.v1.ListContainersRequest;
import io.quarkube.agent.cri.v1.ListPodSandboxRequest;
import io.quarkube.agent.cri.v1.PodSandbox;
import io.quarkube.agent.cri.v1.PodSandboxFilter;
import io.quarkube.agent.cri.v1.PodSandboxState;
import io.quarkube.agent.cri.v1.PodSandboxStateValue;
import io.quarkube.agent.runtime.ContainerRuntime;
import io.smallrye.mutiny.Uni;

/**
 * Finds a pod's containers and sandbox in the runtime by the labels the kubelet puts on them
 * ({@code io.kubernetes.pod.namespace}, {@code io.kubernetes.pod.name},
 * {@code io.kubernetes.container.name}), newest instance first.
 */
final class PodContainerLocator {

    static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
    static final String POD_NAME = "io.kubernetes.pod.name";
    static final String CONTAINER_NAME = "io.kubernetes.container.name";

    private final ContainerRuntime runtime;

    PodContainerLocator(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    /** The log file of a container instance and whether it still runs (asked again while following). */
    record LogSource(String containerId, Path file) {
    }

    /**
     * The instance whose log a request reads: the newest one that has started, or with
     * {@code previous} the started one before it. 400 with the kubelet's messages when there is none.
     */
    Uni<LogSource> logSource(String namespace, String pod, String container, boolean previous) {
        return instances(namespace, pod, container).flatMap(instances -> {
            List<Container> started = instances.stream()
                    .filter(c -> c.getState() == ContainerState.CONTAINER_RUNNING || c.getState() == ContainerState.CONTAINER_EXITED)
                    .toList();
            Container chosen;
            if (previous) {
                if (started.size() < 2) {
                    throw AgentRequestException.badRequest("previous terminated container \"" + container + "\" in pod \""
                            + pod + "\" not found");
                }
                chosen = started.get(1);
            } else {
                if (started.isEmpty()) {
                    throw AgentRequestException.badRequest("container \"" + container + "\" in pod \"" + pod
                            + "\" is waiting to start: ContainerCreating");
                }
                chosen = started.get(0);
            }
            return runtime.containerStatus(ContainerStatusRequest.newBuilder().setContainerId(chosen.getId()).build())
                    .map(status -> new LogSource(chosen.getId(), Path.of(status.getStatus().getLogPath())));
        });
    }

    /** Whether the container instance is running now. */
    Uni<Boolean> running(String containerId) {
        return runtime.containerStatus(ContainerStatusRequest.newBuilder().setContainerId(containerId).build())
                .map(status -> status.getStatus().getState() == ContainerState.CONTAINER_RUNNING);
    }

    /** The running instance of a container, for exec and attach; 404 as the kubelet's "container not found". */
    Uni<String> runningContainerId(String namespace, String pod, String container) {
        return instances(namespace, pod, container).map(instances -> instances.stream()
                .filter(c -> c.getState() == ContainerState.CONTAINER_RUNNING).findFirst()
                .map(Container::getId)
                .orElseThrow(() -> AgentRequestException.notFound("container not found (\"" + container + "\")")));
    }

    /** The pod's ready sandbox, for port-forward. */
    Uni<String> readySandboxId(String namespace, String pod) {
        ListPodSandboxRequest request = ListPodSandboxRequest.newBuilder().setFilter(PodSandboxFilter.newBuilder()
                .setState(PodSandboxStateValue.newBuilder().setState(PodSandboxState.SANDBOX_READY))
                .putLabelSelector(POD_NAMESPACE, namespace).putLabelSelector(POD_NAME, pod)).build();
        return runtime.listPodSandbox(request).map(response -> response.getItemsList().stream()
                .max(Comparator.comparingLong(PodSandbox::getCreatedAt)).map(PodSandbox::getId))
                .map(id -> id.orElseThrow(() -> AgentRequestException.notFound("pod not found (\"" + namespace + "/" + pod + "\")")));
    }

    private Uni<List<Container>> instances(String namespace, String pod, String container) {
        ListContainersRequest request = ListContainersRequest.newBuilder().setFilter(ContainerFilter.newBuilder()
                .putLabelSelector(POD_NAMESPACE, namespace).putLabelSelector(POD_NAME, pod)
                .putLabelSelector(CONTAINER_NAME, container)).build();
        return runtime.listContainers(request).map(response -> response.getContainersList().stream()
                .sorted(Comparator.comparingLong(Container::getCreatedAt).reversed()).toList());
    }

}
