package io.quarkube.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkube.agent.config.AgentConfig;
import io.quarkube.agent.runtime.SimulatedRuntime;
import io.quarkube.agent.testing.TestAgents;
import io.quarkube.agent.testing.controlplane.ControlPlane;
import io.quarkube.agent.testing.controlplane.ControlPlaneExtension;

/**
 * The agent with the simulated runtime against a real control plane, authenticated as
 * system:node:NAME with credentials the control plane issued.
 */
@ExtendWith(ControlPlaneExtension.class)
class AgentSimulatedTest {

    @TempDir
    Path dir;

    private KubernetesClient admin;
    private KubernetesClient nodeClient;
    private String node;
    private String namespace;
    private SimulatedRuntime runtime;
    private Agent agent;
    private AgentConfig config;

    @BeforeEach
    void startAgent(ControlPlane controlPlane) {
        admin = controlPlane.admin();
        node = "sim-" + UUID.randomUUID().toString().substring(0, 8);
        namespace = "t-" + node;
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        nodeClient = ControlPlane.client(controlPlane.nodeKubeconfig(node));
        config = TestAgents.config(dir, Map.of("quarkube.agent.node.lease-renew-interval", "2s",
                "quarkube.agent.node.status-update-interval", "1s"));
        runtime = new SimulatedRuntime(Clock.systemUTC(), Duration.ofMillis(100), Duration.ZERO,
                new SimulatedRuntime.SimulatedPodNetwork("10.88.0.0"));
        agent = TestAgents.start(nodeClient, config, List.of(node), n -> runtime);
    }

    @AfterEach
    void stopAgent() {
        if (agent != null) {
            agent.close();
        }
        nodeClient.close();
    }

    @Test
    void nodeRegistersReadyWithCapacityLabelsAndNodeInfo() {
        TestAgents.await(Duration.ofSeconds(30), "node Ready", () -> ready(admin.nodes().withName(node).get()));
        Node registered = admin.nodes().withName(node).get();

        assertEquals(node, registered.getMetadata().getLabels().get("kubernetes.io/hostname"));
        assertEquals("linux", registered.getMetadata().getLabels().get("kubernetes.io/os"));
        assertEquals("amd64", registered.getMetadata().getLabels().get("kubernetes.io/arch"));
        assertEquals("110", registered.getStatus().getCapacity().get("pods").toString());
        assertNotNull(registered.getStatus().getAllocatable().get("memory"));
        assertNotNull(registered.getStatus().getCapacity().get("cpu"));
        assertEquals("simulated://" + SimulatedRuntime.VERSION, registered.getStatus().getNodeInfo().getContainerRuntimeVersion());
        assertEquals(List.of("InternalIP", "Hostname"), registered.getStatus().getAddresses().stream().map(a -> a.getType()).toList());
        assertEquals(10250, registered.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort());
        assertEquals(List.of("MemoryPressure", "DiskPressure", "PIDPressure", "Ready"),
                registered.getStatus().getConditions().stream().map(NodeCondition::getType).toList());
    }

    @Test
    void nodeIsNotReadyWhileTheRuntimeIsDownAndReadyAgainAfter() {
        TestAgents.await(Duration.ofSeconds(30), "node Ready", () -> ready(admin.nodes().withName(node).get()));

        runtime.setReady(false);
        TestAgents.await(Duration.ofSeconds(15), "node NotReady", () -> !ready(admin.nodes().withName(node).get()));
        NodeCondition notReady = admin.nodes().withName(node).get().getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
        assertEquals("KubeletNotReady", notReady.getReason());
        assertTrue(notReady.getMessage().startsWith("container runtime is down"), notReady.getMessage());

        runtime.setReady(true);
        TestAgents.await(Duration.ofSeconds(15), "node Ready again", () -> ready(admin.nodes().withName(node).get()));
    }

    @Test
    void sandboxesOfPodsDeletedWhileTheAgentWasAwayAreRemoved() {
        admin.pods().inNamespace(namespace).resource(pod("gone", Map.of(), "Always")).create();
        Pod running = awaitPod("gone", p -> ready(p) ? p : null);
        agent.close();
        agent = null;
        admin.pods().inNamespace(namespace).withName("gone").withGracePeriod(0).delete();
        TestAgents.await(Duration.ofSeconds(10), "pod gone from the API", () -> admin.pods().inNamespace(namespace).withName("gone").get() == null);
        assertEquals(1, runtimeSandboxes(running.getMetadata().getUid()).size());

        agent = TestAgents.start(nodeClient, config, List.of(node), n -> runtime);

        TestAgents.await(Duration.ofSeconds(15), "orphaned sandbox removed", () -> runtimeSandboxes(running.getMetadata().getUid()).isEmpty());
    }

    @Test
    void leaseIsHeldByTheNodeOwnedByItAndRenewed() {
        TestAgents.await(Duration.ofSeconds(30), "lease", () -> lease() != null);
        Lease first = lease();
        assertEquals(node, first.getSpec().getHolderIdentity());
        assertEquals(40, first.getSpec().getLeaseDurationSeconds());
        assertEquals("Node", first.getMetadata().getOwnerReferences().get(0).getKind());
        assertEquals(admin.nodes().withName(node).get().getMetadata().getUid(), first.getMetadata().getOwnerReferences().get(0).getUid());
        ZonedDateTime renewed = first.getSpec().getRenewTime();

        TestAgents.await(Duration.ofSeconds(15), "lease renewal", () -> lease().getSpec().getRenewTime().isAfter(renewed));
    }

    @Test
    void podBoundToTheNodeRunsAndIsReadyWithTheKubeletsStatus() {
        Pod pod = admin.pods().inNamespace(namespace).resource(pod("web", Map.of(), "Always")).create();

        Pod running = awaitPod("web", p -> ready(p) ? p : null);

        assertEquals("Running", running.getStatus().getPhase());
        assertTrue(running.getStatus().getPodIP().startsWith("10.88."), running.getStatus().getPodIP());
        assertEquals(running.getStatus().getPodIP(), running.getStatus().getPodIPs().get(0).getIp());
        assertEquals("127.0.0.1", running.getStatus().getHostIP());
        assertNotNull(running.getStatus().getStartTime());
        assertEquals("BestEffort", running.getStatus().getQosClass());
        for (String type : List.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")) {
            assertEquals("True", condition(running, type).map(PodCondition::getStatus).orElse("missing"), type);
        }
        ContainerStatus status = running.getStatus().getContainerStatuses().get(0);
        assertEquals("app", status.getName());
        assertTrue(status.getReady());
        assertTrue(status.getStarted());
        assertEquals(0, status.getRestartCount());
        assertNotNull(status.getState().getRunning().getStartedAt());
        assertTrue(status.getContainerID().startsWith("simulated://"), status.getContainerID());
        assertTrue(status.getImageID().startsWith("sha256:"), status.getImageID());
        TestAgents.await(Duration.ofSeconds(10), "Scheduled..Started events",
                () -> reasons(pod).containsAll(List.of("Pulled", "Created", "Started")));
    }

    @Test
    void containerExitingWithCodeZeroUnderNeverEndsSucceeded() {
        admin.pods().inNamespace(namespace).resource(pod("job", exitAfter("300ms", 0), "Never")).create();

        Pod done = awaitPod("job", p -> "Succeeded".equals(p.getStatus().getPhase()) ? p : null);

        ContainerStatus status = done.getStatus().getContainerStatuses().get(0);
        assertEquals(0, status.getState().getTerminated().getExitCode());
        assertEquals("Completed", status.getState().getTerminated().getReason());
        assertEquals("False", condition(done, "Ready").orElseThrow().getStatus());
        assertEquals("PodCompleted", condition(done, "Ready").orElseThrow().getReason());
    }

    @Test
    void containerFailingUnderNeverEndsFailed() {
        admin.pods().inNamespace(namespace).resource(pod("broken", exitAfter("300ms", 3), "Never")).create();

        Pod failed = awaitPod("broken", p -> "Failed".equals(p.getStatus().getPhase()) ? p : null);

        ContainerStatus status = failed.getStatus().getContainerStatuses().get(0);
        assertEquals(3, status.getState().getTerminated().getExitCode());
        assertEquals("Error", status.getState().getTerminated().getReason());
        assertEquals(0, status.getRestartCount());
    }

    @Test
    void failingContainerUnderAlwaysRestartsWithRisingCountAndCrashLoopBackOff() {
        Pod pod = admin.pods().inNamespace(namespace).resource(pod("crash", exitAfter("200ms", 1), "Always")).create();

        Pod backingOff = awaitPod("crash", p -> {
            ContainerStatus s = p.getStatus().getContainerStatuses() == null || p.getStatus().getContainerStatuses().isEmpty()
                    ? null : p.getStatus().getContainerStatuses().get(0);
            return s != null && s.getRestartCount() >= 2 && s.getState().getWaiting() != null
                    && "CrashLoopBackOff".equals(s.getState().getWaiting().getReason()) ? p : null;
        });

        ContainerStatus status = backingOff.getStatus().getContainerStatuses().get(0);
        assertEquals("Running", backingOff.getStatus().getPhase());
        assertEquals(1, status.getLastState().getTerminated().getExitCode());
        assertTrue(status.getState().getWaiting().getMessage().contains("restarting failed container=app"), status.getState().getWaiting().getMessage());
        TestAgents.await(Duration.ofSeconds(10), "BackOff event", () -> reasons(pod).contains("BackOff"));
        int count = status.getRestartCount();
        awaitPod("crash", p -> p.getStatus().getContainerStatuses().get(0).getRestartCount() > count ? p : null);
    }

    /**
     * ErrImagePull shows only between a failed pull and the next sync, so a poll can miss it: the
     * waiting reasons are read from a watch of the pod, every status the agent writes.
     */
    @Test
    void unpullableImageGivesErrImagePullThenImagePullBackOff() {
        Pod pod = pod("nopull", Map.of(), "Always");
        pod.getSpec().getContainers().get(0).setImage(SimulatedRuntime.UNPULLABLE_REGISTRY + "app:1");
        List<String> reasons = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var watch = admin.pods().inNamespace(namespace).withName("nopull").watch(new io.fabric8.kubernetes.client.Watcher<Pod>() {
            @Override
            public void eventReceived(Action action, Pod changed) {
                waitingReason(changed).ifPresent(reasons::add);
            }

            @Override
            public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
            }
        })) {
            admin.pods().inNamespace(namespace).resource(pod).create();
            TestAgents.await(Duration.ofMinutes(1), "ErrImagePull, then ImagePullBackOff", () -> reasons.contains("ErrImagePull")
                    && reasons.lastIndexOf("ImagePullBackOff") > reasons.indexOf("ErrImagePull"));
        }
        assertEquals("Pending", admin.pods().inNamespace(namespace).withName("nopull").get().getStatus().getPhase());
    }

    @Test
    void gracefulDeletionStopsThePodAndRemovesItFromTheApi() {
        Pod pod = admin.pods().inNamespace(namespace).resource(pod("doomed", Map.of(), "Always")).create();
        awaitPod("doomed", p -> ready(p) ? p : null);

        admin.pods().inNamespace(namespace).withName("doomed").withGracePeriod(5).delete();

        TestAgents.await(Duration.ofSeconds(30), "pod removed from the API",
                () -> admin.pods().inNamespace(namespace).withName("doomed").get() == null);
        TestAgents.await(Duration.ofSeconds(10), "Killing event", () -> reasons(pod).contains("Killing"));
        assertTrue(runtimeSandboxes(pod.getMetadata().getUid()).isEmpty(), "sandboxes left in the runtime");
    }

    @Test
    void restartedAgentReadoptsRunningSandboxesInsteadOfStartingNewOnes() {
        admin.pods().inNamespace(namespace).resource(pod("survivor", Map.of(), "Always")).create();
        Pod before = awaitPod("survivor", p -> ready(p) ? p : null);
        String containerId = before.getStatus().getContainerStatuses().get(0).getContainerID();
        List<String> sandboxes = runtimeSandboxes(before.getMetadata().getUid());

        agent.close();
        agent = TestAgents.start(nodeClient, config, List.of(node), n -> runtime);
        admin.pods().inNamespace(namespace).withName("survivor").edit(p -> {
            p.getMetadata().setLabels(Map.of("touched", "yes"));
            return p;
        });

        TestAgents.await(Duration.ofSeconds(10), "the new agent to see the pod",
                () -> runtimeSandboxes(before.getMetadata().getUid()).size() == 1);
        Pod after = awaitPod("survivor", p -> ready(p) ? p : null);
        assertEquals(sandboxes, runtimeSandboxes(before.getMetadata().getUid()));
        assertEquals(containerId, after.getStatus().getContainerStatuses().get(0).getContainerID());
        assertEquals(0, after.getStatus().getContainerStatuses().get(0).getRestartCount());
    }

    private List<String> runtimeSandboxes(String uid) {
        return runtime.listPodSandbox(io.quarkube.agent.cri.v1.ListPodSandboxRequest.newBuilder()
                .setFilter(io.quarkube.agent.cri.v1.PodSandboxFilter.newBuilder().putLabelSelector("io.kubernetes.pod.uid", uid)).build())
                .await().indefinitely().getItemsList().stream().map(s -> s.getId()).toList();
    }

    private Pod pod(String name, Map<String, String> annotations, String restartPolicy) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withAnnotations(annotations).endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .withRestartPolicy(restartPolicy)
                .addNewContainer().withName("app").withImage("busybox:1.36").endContainer()
                .endSpec()
                .build();
    }

    private static Map<String, String> exitAfter(String after, int code) {
        return Map.of(SimulatedRuntime.EXIT_AFTER_ANNOTATION, after, SimulatedRuntime.EXIT_CODE_ANNOTATION, Integer.toString(code));
    }

    private Pod awaitPod(String name, java.util.function.Function<Pod, Pod> match) {
        Pod[] found = new Pod[1];
        TestAgents.await(Duration.ofSeconds(60), "pod " + name, () -> {
            Pod pod = admin.pods().inNamespace(namespace).withName(name).get();
            found[0] = pod == null || pod.getStatus() == null ? null : match.apply(pod);
            return found[0] != null;
        });
        return found[0];
    }

    private List<String> reasons(Pod pod) {
        return admin.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> pod.getMetadata().getName().equals(e.getInvolvedObject().getName()))
                .map(Event::getReason).toList();
    }

    private Lease lease() {
        return admin.leases().inNamespace("kube-node-lease").withName(node).get();
    }

    private static Optional<String> waitingReason(Pod pod) {
        var statuses = pod.getStatus().getContainerStatuses();
        if (statuses == null || statuses.isEmpty() || statuses.get(0).getState().getWaiting() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(statuses.get(0).getState().getWaiting().getReason());
    }

    private static boolean ready(Node node) {
        return node != null && node.getStatus() != null && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    private static boolean ready(Pod pod) {
        return condition(pod, "Ready").map(c -> c.getStatus().equals("True")).orElse(false);
    }

    private static Optional<PodCondition> condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst();
    }
}
