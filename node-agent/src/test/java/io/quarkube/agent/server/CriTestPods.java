package io.quarkube.agent.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.quarkube.agent.cri.v1.ContainerConfig;
import io.quarkube.agent.cri.v1.ContainerMetadata;
import io.quarkube.agent.cri.v1.ContainerState;
import io.quarkube.agent.cri.v1.ContainerStatusRequest;
import io.quarkube.agent.cri.v1.CreateContainerRequest;
import io.quarkube.agent.cri.v1.ImageSpec;
import io.quarkube.agent.cri.v1.LinuxPodSandboxConfig;
import io.quarkube.agent.cri.v1.LinuxSandboxSecurityContext;
import io.quarkube.agent.cri.v1.NamespaceMode;
import io.quarkube.agent.cri.v1.NamespaceOption;
import io.quarkube.agent.cri.v1.PodSandboxConfig;
import io.quarkube.agent.cri.v1.PodSandboxMetadata;
import io.quarkube.agent.cri.v1.RunPodSandboxRequest;
import io.quarkube.agent.cri.v1.StartContainerRequest;
import io.quarkube.agent.runtime.ContainerRuntime;
import io.quarkube.agent.testing.containerd.TestContainerd;

/**
 * Runs pods in a real runtime the way the kubelet lays them out: a sandbox and containers carrying
 * the kubelet's labels ({@code io.kubernetes.pod.namespace}, {@code .pod.name}, {@code .container.name})
 * and CRI log files under the sandbox's log directory. Stands in for the agent's pod workers where a
 * test is about what the agent's server does with running containers.
 */
final class CriTestPods {

    private static final Duration CALL = Duration.ofSeconds(30);

    private final ContainerRuntime runtime;
    private final Path logRoot;

    CriTestPods(ContainerRuntime runtime, Path logRoot) {
        this.runtime = runtime;
        this.logRoot = logRoot;
    }

    /** A running sandbox of one pod. */
    record Sandbox(String id, PodSandboxConfig config) {
    }

    Sandbox sandbox(String namespace, String name, String uid) {
        try {
            Path logDirectory = Files.createDirectories(logRoot.resolve(namespace + "_" + name + "_" + uid));
            PodSandboxConfig config = PodSandboxConfig.newBuilder()
                    .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace(namespace).setUid(uid))
                    .setHostname(name)
                    .setLogDirectory(logDirectory.toString())
                    .putAllLabels(Map.of(PodContainerLocator.POD_NAMESPACE, namespace, PodContainerLocator.POD_NAME, name,
                            "io.kubernetes.pod.uid", uid))
                    .setLinux(LinuxPodSandboxConfig.newBuilder()
                            .setCgroupParent(TestContainerd.cgroupParent(uid))
                            .setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                                    .setNamespaceOptions(NamespaceOption.newBuilder()
                                            .setNetwork(NamespaceMode.POD).setPid(NamespaceMode.CONTAINER).setIpc(NamespaceMode.POD))))
                    .build();
            String id = runtime.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).build())
                    .await().atMost(CALL).getPodSandboxId();
            return new Sandbox(id, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates and starts one instance ({@code attempt}) of a busybox container running command. */
    String start(Sandbox sandbox, String container, int attempt, List<String> command) {
        PodSandboxConfig pod = sandbox.config();
        ContainerConfig config = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(container).setAttempt(attempt))
                .setImage(ImageSpec.newBuilder().setImage(TestContainerd.BUSYBOX_IMAGE))
                .addAllCommand(command)
                .putAllLabels(Map.of(PodContainerLocator.POD_NAMESPACE, pod.getMetadata().getNamespace(),
                        PodContainerLocator.POD_NAME, pod.getMetadata().getName(),
                        "io.kubernetes.pod.uid", pod.getMetadata().getUid(), PodContainerLocator.CONTAINER_NAME, container))
                .setLogPath(container + "/" + attempt + ".log")
                .setStdin(true)
                .build();
        String id = runtime.createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(sandbox.id())
                .setConfig(config).setSandboxConfig(pod).build()).await().atMost(CALL).getContainerId();
        runtime.startContainer(StartContainerRequest.newBuilder().setContainerId(id).build()).await().atMost(CALL);
        return id;
    }

    /** Waits (polling with a deadline) until the container instance has exited. */
    void awaitExit(String containerId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            ContainerState state = runtime.containerStatus(ContainerStatusRequest.newBuilder().setContainerId(containerId).build())
                    .await().atMost(CALL).getStatus().getState();
            if (state == ContainerState.CONTAINER_EXITED) {
                return;
            }
            Polling.pause();
        }
        throw new IllegalStateException("container " + containerId + " did not exit within 30 s");
    }
}
