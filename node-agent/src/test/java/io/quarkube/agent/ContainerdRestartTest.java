package io.quarkube.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkube.agent.cri.CriRuntime;
import io.quarkube.agent.cri.v1.ContainerFilter;
import io.quarkube.agent.cri.v1.ListContainersRequest;
import io.quarkube.agent.cri.v1.ListPodSandboxRequest;
import io.quarkube.agent.cri.v1.PodSandboxFilter;
import io.quarkube.agent.pods.PodLabels;
import io.quarkube.agent.testing.TestAgents;
import io.quarkube.agent.testing.containerd.ContainerdExtension;
import io.quarkube.agent.testing.containerd.TestContainerd;
import io.quarkube.agent.testing.controlplane.ControlPlane;
import io.quarkube.agent.testing.controlplane.ControlPlaneExtension;

/**
 * containerd stopped and started again while the agent runs pods on it (real containerd, real control
 * plane): the node goes NotReady while the runtime is away and Ready when it is back, the pods keep
 * their containers (the shims outlive containerd), their status stays Running and Ready, and the
 * agent neither re-creates a sandbox nor a container afterwards.
 */
@ExtendWith({ControlPlaneExtension.class, ContainerdExtension.class})
class ContainerdRestartTest {

    private static final List<String> POD_NAMES = List.of("steady-1", "steady-2");

    @TempDir
    Path dir;

    @Test
    void podsKeepRunningWithTheirContainersAndTheNodeIsNotReadyWhileContainerdIsAway(ControlPlane controlPlane,
            TestContainerd containerd) {
        KubernetesClient admin = controlPlane.admin();
        CriRuntime runtime = containerd.runtime();
        String node = "restart-" + UUID.randomUUID().toString().substring(0, 8);
        String namespace = "t-" + node;
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        var config = TestAgents.config(dir, Map.of(
                "quarkube.agent.pods.cgroup-root", "/" + TestContainerd.CGROUP_ROOT,
                "quarkube.agent.node.status-update-interval", "1s"));

        try (KubernetesClient nodeClient = ControlPlane.client(controlPlane.nodeKubeconfig(node));
                Agent agent = TestAgents.start(nodeClient, config, List.of(node), n -> runtime)) {
            var pods = admin.pods().inNamespace(namespace);
            for (String name : POD_NAMES) {
                pods.resource(pod(name, node, namespace)).create();
            }
            TestAgents.await(Duration.ofSeconds(90), "pods Running and Ready", () -> POD_NAMES.stream().allMatch(n -> ready(pods.withName(n).get())));
            TestAgents.await(Duration.ofSeconds(30), "node Ready", () -> "True".equals(nodeReady(admin.nodes().withName(node).get())));
            Map<String, String> containerIds = containerIds(admin, namespace);

            containerd.stopDaemon();
            try {
                TestAgents.await(Duration.ofSeconds(30), "node NotReady while containerd is away",
                        () -> "False".equals(nodeReady(admin.nodes().withName(node).get())));
                String message = admin.nodes().withName(node).get().getStatus().getConditions().stream()
                        .filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow().getMessage();
                assertTrue(message.contains("container runtime"), message);
                for (String name : POD_NAMES) {
                    Pod pod = pods.withName(name).get();
                    assertEquals("Running", pod.getStatus().getPhase(), name + " while containerd is away");
                }
            } finally {
                containerd.startDaemon();
            }

            TestAgents.await(Duration.ofSeconds(60), "node Ready again", () -> "True".equals(nodeReady(admin.nodes().withName(node).get())));
            TestAgents.await(Duration.ofSeconds(30), "pods Ready after containerd is back",
                    () -> POD_NAMES.stream().allMatch(n -> ready(pods.withName(n).get())));
            for (String name : POD_NAMES) {
                Pod pod = pods.withName(name).get();
                String uid = pod.getMetadata().getUid();
                ContainerStatus status = pod.getStatus().getContainerStatuses().get(0);
                assertEquals("Running", pod.getStatus().getPhase(), name);
                assertEquals(containerIds.get(name), status.getContainerID(), name + " kept its container");
                assertEquals(0, status.getRestartCount(), name + " restart count");
                assertTrue(status.getState().getRunning() != null, name + " state " + status.getState());
                assertEquals(1, runtime.listPodSandbox(ListPodSandboxRequest.newBuilder().setFilter(PodSandboxFilter.newBuilder()
                        .putLabelSelector("io.kubernetes.pod.uid", uid)).build()).await().atMost(Duration.ofSeconds(30)).getItemsCount(),
                        name + ": one sandbox");
                assertEquals(1, runtime.listContainers(ListContainersRequest.newBuilder().setFilter(ContainerFilter.newBuilder()
                        .putLabelSelector("io.kubernetes.pod.uid", uid)).build()).await().atMost(Duration.ofSeconds(30)).getContainersCount(),
                        name + ": one container");
            }
            // The restarted runtime still serves the agent: a deleted pod goes, the other one stays as it was.
            pods.withName("steady-1").withGracePeriod(1).delete();
            TestAgents.await(Duration.ofSeconds(60), "steady-1 removed", () -> pods.withName("steady-1").get() == null);
            String uid = pods.withName("steady-2").get().getMetadata().getUid();
            assertEquals(1, runtime.listPodSandbox(ListPodSandboxRequest.newBuilder().setFilter(PodSandboxFilter.newBuilder()
                    .putLabelSelector(PodLabels.NODE_NAME, node)).build()).await().atMost(Duration.ofSeconds(30)).getItemsCount(),
                    "only steady-2's sandbox is left on the node");
            assertEquals(containerIds.get("steady-2"), pods.withName("steady-2").get().getStatus().getContainerStatuses().get(0).getContainerID(),
                    "steady-2 (" + uid + ") untouched");
        }
    }

    private static Pod pod(String name, String node, String namespace) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withNodeName(node).withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("app").withImage(TestContainerd.BUSYBOX_IMAGE).withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "touch /tmp/ready; exec sleep 3600")
                .withNewReadinessProbe().withNewExec().withCommand("cat", "/tmp/ready").endExec()
                .withPeriodSeconds(1).withFailureThreshold(1).endReadinessProbe()
                .endContainer()
                .endSpec().build();
    }

    private static Map<String, String> containerIds(KubernetesClient admin, String namespace) {
        return POD_NAMES.stream().collect(java.util.stream.Collectors.toMap(n -> n,
                n -> admin.pods().inNamespace(namespace).withName(n).get().getStatus().getContainerStatuses().get(0).getContainerID()));
    }

    private static String nodeReady(Node node) {
        if (node == null || node.getStatus() == null || node.getStatus().getConditions() == null) {
            return null;
        }
        return node.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready"))
                .map(c -> c.getStatus()).findFirst().orElse(null);
    }

    private static boolean ready(Pod pod) {
        return pod != null && pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }
}
