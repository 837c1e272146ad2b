package io.quarkube.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkube.agent.AgentExecutors;
import io.quarkube.agent.config.AgentConfig;
import io.quarkube.agent.node.NodeFacts;
import io.quarkube.agent.node.NodeHeartbeat;
import io.quarkube.agent.testing.TestAgents;
import io.quarkube.agent.cri.CriRuntime;
import io.quarkube.agent.cri.v1.ExecSyncRequest;
import io.quarkube.agent.testing.containerd.ContainerdExtension;
import io.quarkube.agent.testing.containerd.TestContainerd;
import io.quarkube.agent.testing.controlplane.ControlPlane;
import io.quarkube.agent.testing.controlplane.ControlPlaneExtension;
import io.vertx.core.Vertx;

/**
 * The agent's server with containers laid out in containerd as the pod workers lay them out (run
 * here by {@link CriTestPods}, so each case controls exactly which instances exist), reached the
 * way users reach it: real kubectl (1.27 speaks SPDY/3.1; 1.33 tries WebSocket first) → the real
 * control plane → the server over TLS with the control plane's client certificate. Also: clients
 * without a certificate from the cluster CA are turned away.
 */
@ExtendWith({ControlPlaneExtension.class, ContainerdExtension.class})
class AgentServerTest {

    private static final String NAMESPACE = "default";
    private static final String NODE = "streaming-node";
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final AtomicInteger PODS = new AtomicInteger();

    private static Path dir;
    private static Path adminKubeconfig;
    private static KubernetesClient api;
    private static Vertx vertx;
    private static AgentServer agent;
    private static CriTestPods pods;
    private static CriRuntime runtime;
    private static KubernetesClient nodeClient;
    private static AgentExecutors executors;
    private static NodeHeartbeat heartbeat;

    @BeforeAll
    static void start(ControlPlane controlPlane, CriRuntime criRuntime) throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "agent-server-");
        runtime = criRuntime;
        pods = new CriTestPods(runtime, Files.createDirectories(dir.resolve("pod-logs")));
        // the control plane's data directory holds the admin kubeconfig and the cluster CA beside the agents' kubeconfigs
        Path nodeKubeconfig = controlPlane.nodeKubeconfig(NODE);
        Path dataDir = nodeKubeconfig.getParent().getParent();
        adminKubeconfig = dataDir.resolve("admin.kubeconfig");
        api = controlPlane.admin();
        vertx = Vertx.vertx();
        agent = AgentServer.start(vertx, runtime, new AgentServer.Settings("127.0.0.1", 0, Files.readString(dataDir.resolve("ca.crt")),
                ServingCertificate.selfSigned(NODE, List.of("127.0.0.1")))).toCompletionStage().toCompletableFuture().get();
        // the node is registered and kept alive as the agent does it (Node status by patch, Lease renewed),
        // publishing the server's port; the control plane's node lifecycle controller writes Nodes too
        AgentConfig config = TestAgents.config(dir, Map.of("quarkube.agent.node.kubelet-port", Integer.toString(agent.port())));
        nodeClient = ControlPlane.client(nodeKubeconfig);
        executors = new AgentExecutors(2);
        heartbeat = new NodeHeartbeat(NODE, NodeFacts.ofHost(config.node(), "containerd://test", dir), nodeClient, config.node(),
                Clock.systemUTC(), Optional::empty);
        heartbeat.start(executors, Duration.ZERO);
        Polling.until(DEADLINE, "node " + NODE + " to publish the server's port", () -> {
            Node node = api.nodes().withName(NODE).get();
            return node != null && node.getStatus() != null && node.getStatus().getDaemonEndpoints() != null
                    && node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort() == agent.port();
        });
    }

    @AfterAll
    static void stop() {
        if (heartbeat != null) {
            heartbeat.close();
        }
        if (executors != null) {
            executors.close();
        }
        if (nodeClient != null) {
            nodeClient.close();
        }
        if (agent != null) {
            agent.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static Kubectl kubectl(String version) {
        return new Kubectl(version, adminKubeconfig);
    }

    /** A Running pod bound to the node, in the API and in containerd. */
    private static CriTestPods.Sandbox pod(String name) {
        Pod pod = api.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName(NODE).addNewContainer().withName("main").withImage(TestContainerd.BUSYBOX_IMAGE)
                .endContainer().endSpec().build()).create();
        // a patch, as the agent writes status: other writers of the pod need not be outrun
        api.pods().inNamespace(NAMESPACE).withName(name).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Running\"}}");
        return pods.sandbox(NAMESPACE, name, pod.getMetadata().getUid());
    }

    private static String name(String prefix, String version) {
        return prefix + "-" + version.replace(".", "") + "-" + PODS.incrementAndGet();
    }

    private static Kubectl.Result awaitOutput(Kubectl kubectl, String expected, String... args) {
        Kubectl.Result[] last = new Kubectl.Result[1];
        Polling.until(DEADLINE, () -> "kubectl " + String.join(" ", args) + " to print " + expected + ", last: " + last[0], () -> {
            last[0] = kubectl.run(null, args);
            return last[0].exitCode() == 0 && last[0].stdout().equals(expected);
        });
        return last[0];
    }

    @Test
    void clientsWithoutAClusterCertificateAreTurnedAway() throws Exception {
        SSLContext trustingAnyServer = SSLContext.getInstance("TLS");
        trustingAnyServer.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        HttpClient anonymous = HttpClient.newBuilder().sslContext(trustingAnyServer).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + agent.port() + "/healthz"))
                .timeout(Duration.ofSeconds(10)).build();
        assertThrows(IOException.class, () -> anonymous.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    void logsWithTailTimestampsAndLimit(String version) {
        String name = name("logs", version);
        pods.start(pod(name), "main", 0, List.of("sh", "-c", "echo one; echo two; echo three; exec sleep 3600"));
        Kubectl kubectl = kubectl(version);

        awaitOutput(kubectl, "one\ntwo\nthree\n", "logs", name);
        assertEquals("three\n", kubectl.run(null, "logs", name, "--tail=1").stdout());
        assertEquals("one\ntw", kubectl.run(null, "logs", name, "--limit-bytes=6").stdout());
        String stamped = kubectl.run(null, "logs", name, "-c", "main", "--timestamps", "--tail=2").stdout();
        assertTrue(stamped.matches("(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z (two|three)\n){2}"), stamped);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    void logsFollowUntilTheContainerEnds(String version) {
        String name = name("follow", version);
        String container = pods.start(pod(name), "main", 0,
                List.of("sh", "-c", "echo started; while [ ! -f /tmp/go ]; do sleep 0.05; done; echo line 1; echo line 2"));
        try (Kubectl.Background follow = kubectl(version).start("logs", "-f", name)) {
            Polling.until(DEADLINE, "kubectl logs -f to print the first line", () -> follow.lines().contains("started"));
            runtime.execSync(ExecSyncRequest.newBuilder().setContainerId(container).addAllCmd(List.of("touch", "/tmp/go"))
                    .setTimeout(10).build()).await().atMost(DEADLINE);
            Polling.until(DEADLINE, "kubectl logs -f to end with the container", () -> !follow.process().isAlive());
            assertEquals(List.of("started", "line 1", "line 2"), follow.lines());
            assertEquals(0, follow.process().exitValue());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    void previousShowsTheInstanceBeforeTheRestart(String version) {
        String name = name("previous", version);
        CriTestPods.Sandbox sandbox = pod(name);
        pods.awaitExit(pods.start(sandbox, "main", 0, List.of("echo", "first run")));
        pods.start(sandbox, "main", 1, List.of("sh", "-c", "echo second run; exec sleep 3600"));
        Kubectl kubectl = kubectl(version);

        awaitOutput(kubectl, "second run\n", "logs", name);
        assertEquals("first run\n", kubectl.run(null, "logs", name, "--previous").stdout());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    void logsOfAContainerNotStartedYetSayItIsWaiting(String version) {
        String name = name("waiting", version);
        pod(name);
        Kubectl.Result result = kubectl(version).run(null, "logs", name);
        assertEquals(1, result.exitCode(), result::toString);
        assertTrue(result.stderr().contains("container \"main\" in pod \"" + name + "\" is waiting to start: ContainerCreating"),
                result::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    void execWithStdinAndExitCodes(String version) {
        String name = name("exec", version);
        pods.start(pod(name), "main", 0, List.of("sleep", "3600"));
        Kubectl kubectl = kubectl(version);

        Kubectl.Result echo = kubectl.run(null, "exec", name, "--", "echo", "hello from exec");
        assertEquals(new Kubectl.Result(0, "hello from exec\n", ""), echo);
        Kubectl.Result failing = kubectl.run(null, "exec", name, "--", "sh", "-c", "echo oops >&2; exit 3");
        assertEquals(3, failing.exitCode(), failing::toString);
        assertTrue(failing.stderr().startsWith("oops\n"), failing::toString);
        Kubectl.Result piped = kubectl.run("line one\nline two\n", "exec", "-i", name, "--", "cat");
        assertEquals(new Kubectl.Result(0, "line one\nline two\n", ""), piped);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    void portForwardReachesTheContainer(String version) throws Exception {
        String name = name("forward", version);
        pods.start(pod(name), "main", 0,
                List.of("sh", "-c", "mkdir -p /www && echo served by " + name + " > /www/index.html && exec httpd -f -p 8080 -h /www"));
        int localPort = Polling.freePort();
        try (Kubectl.Background forward = kubectl(version).start("port-forward", "pod/" + name, localPort + ":8080")) {
            Polling.until(DEADLINE, "kubectl port-forward to listen", () -> forward.lines().stream()
                    .anyMatch(line -> line.startsWith("Forwarding from 127.0.0.1:" + localPort)));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String[] body = new String[1];
            Polling.until(DEADLINE, "the pod to answer through the forwarded port", () -> {
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + localPort + "/index.html"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    body[0] = response.body();
                    return response.statusCode() == 200;
                } catch (IOException notYet) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
            assertEquals("served by " + name + "\n", body[0]);
        }
    }
}
