package io.quarkube.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkube.agent.cri.CriRuntime;
import io.quarkube.agent.cri.v1.ExecSyncRequest;
import io.quarkube.agent.cri.v1.ExecSyncResponse;
import io.quarkube.agent.testing.TestAgents;
import io.quarkube.agent.testing.containerd.ContainerdExtension;
import io.quarkube.agent.testing.containerd.TestContainerd;
import io.quarkube.agent.testing.controlplane.ControlPlane;
import io.quarkube.agent.testing.controlplane.ControlPlaneExtension;

/** The agent running real containers through containerd's CRI, against a real control plane. */
@ExtendWith({ControlPlaneExtension.class, ContainerdExtension.class})
class CriPodLifecycleTest {

    @TempDir
    Path dir;

    @Test
    void initContainersRunInOrderThenTwoContainersShareAnEmptyDirWithEnvFromAConfigMapAndASecret(ControlPlane controlPlane, CriRuntime runtime) {
        KubernetesClient admin = controlPlane.admin();
        String node = "cri-" + UUID.randomUUID().toString().substring(0, 8);
        String namespace = "t-" + node;
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        admin.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName("settings").endMetadata()
                .addToData("GREETING", "hello-from-configmap").build()).create();
        admin.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName("creds").endMetadata()
                .addToStringData("PASSWORD", "s3cret").build()).create();
        Pod pod = new PodBuilder()
                .withNewMetadata().withName("pair").withNamespace(namespace).endMetadata()
                .withNewSpec().withNodeName(node).withTerminationGracePeriodSeconds(2L)
                .addNewVolume().withName("shared").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewInitContainer().withName("init-1").withImage(TestContainerd.BUSYBOX_IMAGE).withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "echo one > /shared/order")
                .addNewVolumeMount().withName("shared").withMountPath("/shared").endVolumeMount()
                .endInitContainer()
                .addNewInitContainer().withName("init-2").withImage(TestContainerd.BUSYBOX_IMAGE).withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "test -f /shared/order && echo two >> /shared/order")
                .addNewVolumeMount().withName("shared").withMountPath("/shared").endVolumeMount()
                .endInitContainer()
                .addNewContainer().withName("writer").withImage(TestContainerd.BUSYBOX_IMAGE).withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "echo \"$GREETING\" > /shared/greeting; exec sleep 3600")
                .addNewEnv().withName("GREETING").withNewValueFrom().withNewConfigMapKeyRef("GREETING", "settings", false).endValueFrom().endEnv()
                .addNewVolumeMount().withName("shared").withMountPath("/shared").endVolumeMount()
                .endContainer()
                .addNewContainer().withName("reader").withImage(TestContainerd.BUSYBOX_IMAGE).withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "exec sleep 3600")
                .addNewEnvFrom().withNewSecretRef("creds", false).endEnvFrom()
                .addNewVolumeMount().withName("shared").withMountPath("/data").withReadOnly(true).endVolumeMount()
                .endContainer()
                .endSpec().build();
        try (NodeAgent agent = startAgent(controlPlane, runtime, node)) {
            admin.pods().inNamespace(namespace).resource(pod).create();

            TestAgents.await(Duration.ofSeconds(90), "pod Running and Ready", () -> ready(admin.pods().inNamespace(namespace).withName("pair").get()));
            Pod running = admin.pods().inNamespace(namespace).withName("pair").get();

            assertEquals("Running", running.getStatus().getPhase());
            assertTrue(running.getStatus().getPodIP() != null && !running.getStatus().getPodIP().isEmpty(), "pod IP");
            assertEquals(List.of("writer", "reader"), running.getStatus().getContainerStatuses().stream().map(ContainerStatus::getName).toList());
            ContainerStatus reader = running.getStatus().getContainerStatuses().get(1);
            assertTrue(reader.getContainerID().startsWith("containerd://"), reader.getContainerID());
            String readerId = reader.getContainerID().substring("containerd://".length());

            TestAgents.await(Duration.ofSeconds(20), "the writer's file in the reader's volume",
                    () -> exec(runtime, readerId, "cat", "/data/greeting").equals("hello-from-configmap\n"));
            assertEquals("s3cret\n", exec(runtime, readerId, "sh", "-c", "echo $PASSWORD"));
            assertEquals("one\ntwo\n", exec(runtime, readerId, "cat", "/data/order"), "init containers ran in order");
            assertEquals(List.of("Completed", "Completed"), running.getStatus().getInitContainerStatuses().stream()
                    .map(s -> s.getState().getTerminated().getReason()).toList());

            admin.pods().inNamespace(namespace).withName("pair").delete();
            TestAgents.await(Duration.ofSeconds(60), "pod removed after graceful termination",
                    () -> admin.pods().inNamespace(namespace).withName("pair").get() == null);
            assertTrue(runtime.listPodSandbox(io.quarkube.agent.cri.v1.ListPodSandboxRequest.newBuilder()
                    .setFilter(io.quarkube.agent.cri.v1.PodSandboxFilter.newBuilder()
                            .putLabelSelector("io.kubernetes.pod.uid", running.getMetadata().getUid())).build())
                    .await().atMost(Duration.ofSeconds(30)).getItemsList().isEmpty(), "sandbox removed");
        }
    }

    @Test
    void readinessProbeFlipsReadyAndLivenessProbeRestartsTheContainer(ControlPlane controlPlane, CriRuntime runtime) {
        KubernetesClient admin = controlPlane.admin();
        String node = "cri-" + UUID.randomUUID().toString().substring(0, 8);
        String namespace = "t-" + node;
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        Pod pod = new PodBuilder()
                .withNewMetadata().withName("probed").withNamespace(namespace).endMetadata()
                .withNewSpec().withNodeName(node).withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("app").withImage(TestContainerd.BUSYBOX_IMAGE).withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "touch /tmp/ready /tmp/alive; exec sleep 3600")
                .withNewReadinessProbe().withNewExec().withCommand("cat", "/tmp/ready").endExec()
                .withPeriodSeconds(1).withFailureThreshold(1).endReadinessProbe()
                .withNewLivenessProbe().withNewExec().withCommand("cat", "/tmp/alive").endExec()
                .withPeriodSeconds(1).withFailureThreshold(2).endLivenessProbe()
                .endContainer()
                .endSpec().build();
        try (NodeAgent agent = startAgent(controlPlane, runtime, node)) {
            var pods = admin.pods().inNamespace(namespace);
            pods.resource(pod).create();
            TestAgents.await(Duration.ofSeconds(90), "Ready", () -> ready(pods.withName("probed").get()));
            String id = containerId(pods.withName("probed").get());

            exec(runtime, id, "rm", "/tmp/ready");
            TestAgents.await(Duration.ofSeconds(20), "not Ready after the readiness probe failed", () -> !ready(pods.withName("probed").get()));
            assertEquals(false, pods.withName("probed").get().getStatus().getContainerStatuses().get(0).getReady());
            exec(runtime, id, "touch", "/tmp/ready");
            TestAgents.await(Duration.ofSeconds(20), "Ready again", () -> ready(pods.withName("probed").get()));

            exec(runtime, id, "rm", "/tmp/alive");
            TestAgents.await(Duration.ofSeconds(60), "restart after the liveness probe failed",
                    () -> pods.withName("probed").get().getStatus().getContainerStatuses().get(0).getRestartCount() >= 1);
            TestAgents.await(Duration.ofSeconds(30), "Ready in the new container", () -> ready(pods.withName("probed").get()));
            assertTrue(!containerId(pods.withName("probed").get()).equals(id), "a new container");
            List<String> messages = admin.v1().events().inNamespace(namespace).list().getItems().stream()
                    .map(e -> e.getReason() + ": " + e.getMessage()).toList();
            assertTrue(messages.stream().anyMatch(m -> m.startsWith("Unhealthy: Readiness probe failed")), messages.toString());
            assertTrue(messages.stream().anyMatch(m -> m.startsWith("Unhealthy: Liveness probe failed")), messages.toString());
            assertTrue(messages.contains("Killing: Container app failed liveness probe, will be restarted"), messages.toString());
            pods.withName("probed").withGracePeriod(1).delete();
            TestAgents.await(Duration.ofSeconds(60), "pod removed", () -> pods.withName("probed").get() == null);
        }
    }

    @Test
    void preStopHookRunsBeforeTheContainerIsStopped(ControlPlane controlPlane, CriRuntime runtime) throws Exception {
        KubernetesClient admin = controlPlane.admin();
        String node = "cri-" + UUID.randomUUID().toString().substring(0, 8);
        String namespace = "t-" + node;
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        Path hostDir = java.nio.file.Files.createDirectories(dir.resolve("host"));
        Pod pod = new PodBuilder()
                .withNewMetadata().withName("hooked").withNamespace(namespace).endMetadata()
                .withNewSpec().withNodeName(node).withTerminationGracePeriodSeconds(5L)
                .addNewVolume().withName("host").withNewHostPath().withPath(hostDir.toString()).endHostPath().endVolume()
                .addNewContainer().withName("app").withImage(TestContainerd.BUSYBOX_IMAGE).withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "exec sleep 3600")
                .addNewVolumeMount().withName("host").withMountPath("/host").endVolumeMount()
                .withNewLifecycle()
                .withNewPostStart().withNewExec().withCommand("sh", "-c", "echo started > /host/post-start").endExec().endPostStart()
                .withNewPreStop().withNewExec().withCommand("sh", "-c", "echo stopping > /host/pre-stop").endExec().endPreStop()
                .endLifecycle()
                .endContainer()
                .endSpec().build();
        try (NodeAgent agent = startAgent(controlPlane, runtime, node)) {
            var pods = admin.pods().inNamespace(namespace);
            pods.resource(pod).create();
            TestAgents.await(Duration.ofSeconds(90), "Ready", () -> ready(pods.withName("hooked").get()));
            assertEquals("started\n", java.nio.file.Files.readString(hostDir.resolve("post-start")));

            pods.withName("hooked").delete();
            TestAgents.await(Duration.ofSeconds(60), "pod removed", () -> pods.withName("hooked").get() == null);
            assertEquals("stopping\n", java.nio.file.Files.readString(hostDir.resolve("pre-stop")));
        }
    }

    /**
     * A projected serviceAccountToken source: the agent asks the control plane for a token of the
     * pod's service account bound to the pod, and the container reads it from the volume. The token
     * authenticates as the account, names the pod, and stops authenticating once the pod is gone.
     */
    @Test
    void aProjectedServiceAccountTokenAuthenticatesAsThePodsAccountUntilThePodIsGone(ControlPlane controlPlane, CriRuntime runtime) {
        KubernetesClient admin = controlPlane.admin();
        String node = "cri-" + UUID.randomUUID().toString().substring(0, 8);
        String namespace = "t-" + node;
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        admin.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata().withName("builder")
                .endMetadata().build()).create();
        Pod pod = new PodBuilder()
                .withNewMetadata().withName("with-token").withNamespace(namespace).endMetadata()
                .withNewSpec().withNodeName(node).withServiceAccountName("builder").withTerminationGracePeriodSeconds(1L)
                .addNewVolume().withName("tokens").withNewProjected()
                .addNewSource().withNewServiceAccountToken().withPath("token").withExpirationSeconds(600L).endServiceAccountToken().endSource()
                .endProjected().endVolume()
                .addNewContainer().withName("main").withImage(TestContainerd.BUSYBOX_IMAGE).withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "exec sleep 3600")
                .addNewVolumeMount().withName("tokens").withMountPath("/var/run/secrets/tokens").withReadOnly(true).endVolumeMount()
                .endContainer()
                .endSpec().build();
        try (NodeAgent agent = startAgent(controlPlane, runtime, node)) {
            var pods = admin.pods().inNamespace(namespace);
            pods.resource(pod).create();
            TestAgents.await(Duration.ofSeconds(90), "pod Running and Ready", () -> ready(pods.withName("with-token").get()));
            Pod running = pods.withName("with-token").get();
            String containerId = containerId(running);

            String token = exec(runtime, containerId, "cat", "/var/run/secrets/tokens/token");
            TokenReview review = review(admin, token);
            assertTrue(review.getStatus().getAuthenticated(), () -> "the pod's token authenticates: " + review.getStatus());
            assertEquals("system:serviceaccount:" + namespace + ":builder", review.getStatus().getUser().getUsername());
            assertEquals(List.of("with-token"), review.getStatus().getUser().getExtra().get("authentication.kubernetes.io/pod-name"));
            assertEquals(List.of(running.getMetadata().getUid()), review.getStatus().getUser().getExtra().get("authentication.kubernetes.io/pod-uid"));

            pods.withName("with-token").delete();
            TestAgents.await(Duration.ofSeconds(60), "pod removed", () -> pods.withName("with-token").get() == null);
            assertFalse(review(admin, token).getStatus().getAuthenticated(), "a token bound to a pod that is gone no longer authenticates");
        }
    }

    private static TokenReview review(KubernetesClient admin, String token) {
        return admin.resource(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build()).create();
    }

    @Test
    void terminationMessagesComeFromTheFileOrTheLogAndAMemoryEmptyDirIsATmpfs(ControlPlane controlPlane, CriRuntime runtime) {
        KubernetesClient admin = controlPlane.admin();
        String node = "cri-" + UUID.randomUUID().toString().substring(0, 8);
        String namespace = "t-" + node;
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        Pod pod = new PodBuilder()
                .withNewMetadata().withName("last-words").withNamespace(namespace).endMetadata()
                .withNewSpec().withNodeName(node).withRestartPolicy("Never").withTerminationGracePeriodSeconds(1L)
                .addNewVolume().withName("scratch").withNewEmptyDir().withMedium("Memory").endEmptyDir().endVolume()
                .addNewContainer().withName("writer").withImage(TestContainerd.BUSYBOX_IMAGE).withImagePullPolicy("IfNotPresent")
                // The file system type of the memory-backed volume, as the container's last words.
                .withCommand("sh", "-c", "grep ' /scratch ' /proc/mounts | cut -d' ' -f3 > /dev/termination-log")
                .addNewVolumeMount().withName("scratch").withMountPath("/scratch").endVolumeMount()
                .endContainer()
                .addNewContainer().withName("failer").withImage(TestContainerd.BUSYBOX_IMAGE).withImagePullPolicy("IfNotPresent")
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withCommand("sh", "-c", "echo something went wrong; exit 3")
                .endContainer()
                .endSpec().build();
        try (NodeAgent agent = startAgent(controlPlane, runtime, node)) {
            var pods = admin.pods().inNamespace(namespace);
            pods.resource(pod).create();
            TestAgents.await(Duration.ofSeconds(90), "both containers terminated", () -> {
                Pod current = pods.withName("last-words").get();
                return current.getStatus() != null && current.getStatus().getContainerStatuses() != null
                        && current.getStatus().getContainerStatuses().size() == 2
                        && current.getStatus().getContainerStatuses().stream().allMatch(s -> s.getState().getTerminated() != null);
            });
            Pod done = pods.withName("last-words").get();
            Map<String, io.fabric8.kubernetes.api.model.ContainerStateTerminated> terminated = done.getStatus().getContainerStatuses().stream()
                    .collect(java.util.stream.Collectors.toMap(ContainerStatus::getName, s -> s.getState().getTerminated()));

            assertEquals("tmpfs\n", terminated.get("writer").getMessage());
            assertEquals("Completed", terminated.get("writer").getReason());
            assertEquals("something went wrong\n", terminated.get("failer").getMessage());
            assertEquals(3, terminated.get("failer").getExitCode());
            assertEquals("Error", terminated.get("failer").getReason());
            TestAgents.await(Duration.ofSeconds(30), "phase Failed", () -> "Failed".equals(pods.withName("last-words").get().getStatus().getPhase()));
            pods.withName("last-words").withGracePeriod(1).delete();
            TestAgents.await(Duration.ofSeconds(60), "pod removed", () -> pods.withName("last-words").get() == null);
        }
    }

    @Test
    void imagePullSecretsGiveTheRegistryItsCredentials(ControlPlane controlPlane, CriRuntime runtime) throws Exception {
        // No registry runs here: a stand-in answers like one that wants Basic auth (401 with a challenge,
        // then 404 for the manifest) and keeps the Authorization headers containerd sends it.
        java.util.Queue<String> authorizations = new java.util.concurrent.ConcurrentLinkedQueue<>();
        com.sun.net.httpserver.HttpServer registry = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"quarkube-test\"");
                exchange.sendResponseHeaders(401, -1);
            } else {
                authorizations.add(authorization);
                exchange.sendResponseHeaders(404, -1);
            }
            exchange.close();
        });
        registry.start();
        try {
            String host = "127.0.0.1:" + registry.getAddress().getPort();
            KubernetesClient admin = controlPlane.admin();
            String node = "cri-" + UUID.randomUUID().toString().substring(0, 8);
            String namespace = "t-" + node;
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
            String dockerConfig = "{\"auths\":{\"" + host + "\":{\"username\":\"puller\",\"password\":\"s3cret\"}}}";
            admin.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName("regcred").endMetadata()
                    .withType("kubernetes.io/dockerconfigjson")
                    .addToData(".dockerconfigjson", java.util.Base64.getEncoder().encodeToString(dockerConfig.getBytes(StandardCharsets.UTF_8)))
                    .build()).create();
            Pod pod = new PodBuilder()
                    .withNewMetadata().withName("private").withNamespace(namespace).endMetadata()
                    .withNewSpec().withNodeName(node).withTerminationGracePeriodSeconds(1L)
                    .addNewImagePullSecret("absent").addNewImagePullSecret("regcred")
                    .addNewContainer().withName("app").withImage(host + "/team/app:1").withImagePullPolicy("IfNotPresent").endContainer()
                    .endSpec().build();
            try (NodeAgent agent = startAgent(controlPlane, runtime, node)) {
                var pods = admin.pods().inNamespace(namespace);
                pods.resource(pod).create();
                TestAgents.await(Duration.ofSeconds(60), "the pull failing at the stand-in registry", () -> {
                    Pod current = pods.withName("private").get();
                    return current.getStatus() != null && current.getStatus().getContainerStatuses() != null
                            && !current.getStatus().getContainerStatuses().isEmpty()
                            && current.getStatus().getContainerStatuses().get(0).getState().getWaiting() != null
                            && List.of("ErrImagePull", "ImagePullBackOff").contains(
                                    current.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason());
                });

                String expected = "Basic " + java.util.Base64.getEncoder().encodeToString("puller:s3cret".getBytes(StandardCharsets.UTF_8));
                assertTrue(!authorizations.isEmpty() && authorizations.stream().allMatch(expected::equals), authorizations.toString());
                List<String> events = admin.v1().events().inNamespace(namespace).list().getItems().stream()
                        .map(e -> e.getReason() + ": " + e.getMessage()).toList();
                assertTrue(events.contains("FailedToRetrieveImagePullSecret: Unable to retrieve some image pull secrets (absent); "
                        + "attempting to pull the image may not succeed."), events.toString());
                pods.withName("private").withGracePeriod(1).delete();
                TestAgents.await(Duration.ofSeconds(60), "pod removed", () -> pods.withName("private").get() == null);
            }
        } finally {
            registry.stop(0);
        }
    }

    private static String containerId(Pod pod) {
        return pod.getStatus().getContainerStatuses().get(0).getContainerID().substring("containerd://".length());
    }

    /** The agent of one node on the test's containerd, with the node's own credentials; closing stops both. */
    private record NodeAgent(KubernetesClient client, Agent agent) implements AutoCloseable {
        @Override
        public void close() {
            try (client) {
                agent.close();
            }
        }
    }

    private NodeAgent startAgent(ControlPlane controlPlane, CriRuntime runtime, String node) {
        var config = TestAgents.config(dir, Map.of("quarkube.agent.pods.cgroup-root", "/" + TestContainerd.CGROUP_ROOT));
        KubernetesClient client = ControlPlane.client(controlPlane.nodeKubeconfig(node));
        try {
            return new NodeAgent(client, TestAgents.start(client, config, List.of(node), n -> runtime));
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private static String exec(CriRuntime runtime, String containerId, String... command) {
        ExecSyncResponse response = runtime.execSync(ExecSyncRequest.newBuilder().setContainerId(containerId)
                .addAllCmd(List.of(command)).setTimeout(10).build()).await().atMost(Duration.ofSeconds(20));
        return response.getStdout().toString(StandardCharsets.UTF_8);
    }

    private static boolean ready(Pod pod) {
        return pod != null && pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }
}
