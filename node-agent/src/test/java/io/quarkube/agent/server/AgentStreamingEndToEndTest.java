package io.quarkube.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkube.agent.Agent;
import io.quarkube.agent.cri.CriRuntime;
import io.quarkube.agent.testing.TestAgents;
import io.quarkube.agent.testing.containerd.ContainerdExtension;
import io.quarkube.agent.testing.containerd.TestContainerd;
import io.quarkube.agent.testing.controlplane.ControlPlane;
import io.quarkube.agent.testing.controlplane.ControlPlaneExtension;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PfxOptions;

/**
 * The whole path with the real agent: kubectl 1.27 and 1.33 → the packaged control plane → the
 * node's {@link AgentServer} (started as the agent's main starts it, with the cluster CA of the
 * node's kubeconfig) → containerd, for pods the agent's pod workers run. Covers {@code logs}
 * (also {@code -f} and {@code --previous} after a restart), {@code exec} (also {@code -i} with
 * stdin and a non-zero exit code), {@code attach -i}, exec and attach over WebSocket v5 (kubectl 1.33,
 * translated to the runtime's SPDY streams, also with a terminal), exec over WebSocket v4 and
 * {@code port-forward}.
 */
@ExtendWith({ControlPlaneExtension.class, ContainerdExtension.class})
class AgentStreamingEndToEndTest {

    private static final Duration POD_START = Duration.ofSeconds(90);
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final ControlPlane controlPlane;
    private final CriRuntime runtime;
    private String node;
    private String namespace;
    private KubernetesClient nodeClient;
    private Agent agent;
    private Vertx vertx;
    private AgentServer server;
    private Path adminKubeconfig;

    AgentStreamingEndToEndTest(ControlPlane controlPlane, CriRuntime runtime) {
        this.controlPlane = controlPlane;
        this.runtime = runtime;
    }

    @BeforeEach
    void startAgent() throws Exception {
        node = "stream-" + UUID.randomUUID().toString().substring(0, 8);
        namespace = "t-" + node;
        controlPlane.admin().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        Path nodeKubeconfig = controlPlane.nodeKubeconfig(node);
        // the control plane writes its admin kubeconfig next to the agents' directory
        adminKubeconfig = nodeKubeconfig.getParent().getParent().resolve("admin.kubeconfig");
        int port = Polling.freePort();
        var config = TestAgents.config(dir, Map.of("quarkube.agent.pods.cgroup-root", "/" + TestContainerd.CGROUP_ROOT,
                "quarkube.agent.node.kubelet-port", Integer.toString(port)));
        nodeClient = ControlPlane.client(nodeKubeconfig);
        agent = TestAgents.start(nodeClient, config, List.of(node), n -> runtime);
        vertx = Vertx.vertx();
        server = NodeServer.start(vertx, runtime, Config.fromKubeconfig(Files.readString(nodeKubeconfig)), node, "127.0.0.1", port)
                .orElseThrow();
    }

    @AfterEach
    void stopAgent() {
        if (server != null) {
            server.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
        if (agent != null) {
            agent.close();
        }
        if (nodeClient != null) {
            nodeClient.close();
        }
        controlPlane.admin().namespaces().withName(namespace).delete();
    }

    private Pod runPod(String name, List<String> command, String restartPolicy) {
        return runPod(name, command, restartPolicy, false);
    }

    /** A busybox pod on the agent's node, running once its container runs; with stdin, the container's stdin is open once. */
    private Pod runPod(String name, List<String> command, String restartPolicy, boolean stdin) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withNodeName(node).withRestartPolicy(restartPolicy).withTerminationGracePeriodSeconds(1L)
                .addNewVolume().withName("state").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewContainer().withName("main").withImage(TestContainerd.BUSYBOX_IMAGE).withImagePullPolicy("IfNotPresent")
                .withCommand(command).withStdin(stdin).withStdinOnce(stdin)
                .addNewVolumeMount().withName("state").withMountPath("/state").endVolumeMount()
                .endContainer().endSpec().build();
        controlPlane.admin().pods().inNamespace(namespace).resource(pod).create();
        TestAgents.await(POD_START, "pod " + name + " running", () -> running(controlPlane.admin().pods().inNamespace(namespace).withName(name).get()));
        return pod;
    }

    private static boolean running(Pod pod) {
        return pod != null && pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null
                && pod.getStatus().getContainerStatuses().stream().anyMatch(s -> s.getState() != null && s.getState().getRunning() != null);
    }

    private Kubectl kubectl(String version) {
        return new Kubectl(version, adminKubeconfig);
    }

    private Kubectl.Result awaitOutput(Kubectl kubectl, String expected, String... args) {
        Kubectl.Result[] last = new Kubectl.Result[1];
        Polling.until(DEADLINE, () -> "kubectl " + String.join(" ", args) + " to print " + expected + ", last: " + last[0], () -> {
            last[0] = kubectl.run(null, args);
            return last[0].exitCode() == 0 && last[0].stdout().equals(expected);
        });
        return last[0];
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    void logsFollowAndPreviousAfterARestart(String version) {
        // the first run fails, the kubelet-style restart runs the container again with the same emptyDir
        runPod("restarted", List.of("sh", "-c",
                "if [ -f /state/ran ]; then echo second run; exec sleep 3600; else touch /state/ran; echo first run; exit 1; fi"), "Always");
        Kubectl kubectl = kubectl(version);
        String[] ns = {"-n", namespace};

        awaitOutput(kubectl, "second run\n", "logs", ns[0], ns[1], "restarted");
        assertEquals("first run\n", kubectl.run(null, "logs", ns[0], ns[1], "restarted", "--previous").stdout());
        try (Kubectl.Background follow = kubectl.start("logs", "-f", ns[0], ns[1], "restarted")) {
            Polling.until(DEADLINE, "kubectl logs -f to print the current run", () -> follow.lines().contains("second run"));
            // a line written while following reaches the follower
            kubectl.run(null, "exec", ns[0], ns[1], "restarted", "--", "sh", "-c", "echo later line > /proc/1/fd/1");
            Polling.until(DEADLINE, () -> "kubectl logs -f to print the later line, got " + follow.lines(),
                    () -> follow.lines().contains("later line"));
            assertTrue(follow.process().isAlive(), "following ends only with the container or the client");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    void execWithStdinAndExitCode(String version) {
        runPod("shell", List.of("sleep", "3600"), "Always");
        Kubectl kubectl = kubectl(version);

        assertEquals(new Kubectl.Result(0, "hello\n", ""), kubectl.run(null, "exec", "-n", namespace, "shell", "--", "echo", "hello"));
        Kubectl.Result failing = kubectl.run(null, "exec", "-n", namespace, "shell", "--", "sh", "-c", "exit 7");
        assertEquals(7, failing.exitCode(), failing::toString);
        assertEquals(new Kubectl.Result(0, "from stdin\n", ""),
                kubectl.run("from stdin\n", "exec", "-i", "-n", namespace, "shell", "--", "cat"));
    }

    /**
     * kubectl attach -i joins the container's main process: what kubectl reads from its stdin reaches
     * the process, the process's output comes back, and closing stdin (stdinOnce) ends the process
     * and with it the attach.
     */
    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    void attachWithStdin(String version) {
        runPod("talker", List.of("sh", "-c", "while read line; do echo \"got $line\"; done; echo stdin closed"), "Never", true);

        Kubectl.Result attached = kubectl(version).run("hello\nworld\n", "attach", "-i", "-n", namespace, "talker", "-c", "main");
        assertEquals(0, attached.exitCode(), attached::toString);
        assertEquals("got hello\ngot world\nstdin closed\n", attached.stdout(), attached::toString);
    }

    /** What kubectl 1.30+ logs at -v=4 once its WebSocket executor negotiated v5 (and not when it fell back to SPDY). */
    private static final String NEGOTIATED_V5 = "The subprotocol is " + WebSocketSpdyTranslator.PROTOCOL;

    private static void assertOverWebSocketV5(Kubectl.Result result) {
        assertTrue(result.stderr().contains(NEGOTIATED_V5), () -> "kubectl negotiated no v5 over WebSocket: " + result);
        assertFalse(result.stderr().contains("RemoteCommand fallback"), () -> "kubectl fell back to SPDY: " + result);
    }

    /**
     * kubectl 1.33 offers exec and attach over WebSocket {@code v5.channel.k8s.io} only, which the
     * agent translates to the runtime's SPDY streams: output, stdin from a pipe whose end reaches the
     * remote {@code cat} (v5's close signal), a non-zero exit code as kubectl's own, and attach. Each
     * run is checked (kubectl's -v=4 log) to have used v5 rather than falling back to SPDY.
     */
    @Test
    void execAndAttachOverWebSocketV5() {
        runPod("shell", List.of("sleep", "3600"), "Always");
        runPod("talker", List.of("sh", "-c", "while read line; do echo \"got $line\"; done; echo stdin closed"), "Never", true);
        Kubectl kubectl = kubectl("1.33");

        Kubectl.Result echo = kubectl.run(null, "-v=4", "exec", "-n", namespace, "shell", "--", "sh", "-c", "echo out; echo err >&2");
        assertEquals(0, echo.exitCode(), echo::toString);
        assertEquals("out\n", echo.stdout(), echo::toString);
        assertTrue(echo.stderr().contains("err\n"), echo::toString);
        assertOverWebSocketV5(echo);

        Kubectl.Result piped = kubectl.run("line one\nline two\n", "-v=4", "exec", "-i", "-n", namespace, "shell", "--",
                "sh", "-c", "cat; echo cat saw the end");
        assertEquals(0, piped.exitCode(), piped::toString);
        assertEquals("line one\nline two\ncat saw the end\n", piped.stdout(), piped::toString);
        assertOverWebSocketV5(piped);

        Kubectl.Result failing = kubectl.run(null, "-v=4", "exec", "-n", namespace, "shell", "--", "sh", "-c", "exit 7");
        assertEquals(7, failing.exitCode(), failing::toString);
        assertTrue(failing.stderr().contains("command terminated with exit code 7"), failing::toString);
        assertOverWebSocketV5(failing);

        Kubectl.Result attached = kubectl.run("hello\nworld\n", "-v=4", "attach", "-i", "-n", namespace, "talker", "-c", "main");
        assertEquals(0, attached.exitCode(), attached::toString);
        assertEquals("got hello\ngot world\nstdin closed\n", attached.stdout(), attached::toString);
        assertOverWebSocketV5(attached);
    }

    /**
     * kubectl exec -t at a terminal (kubectl 1.33, so WebSocket v5): kubectl sends the terminal's
     * size on the resize channel, the command sees it as its own terminal's size.
     */
    @Test
    void execWithATerminalTakesItsSize() {
        runPod("shell", List.of("sleep", "3600"), "Always");

        // the size reaches the terminal on a stream of its own, after the command started: it asks until it has one
        Kubectl.Result sized = kubectl("1.33").runInTerminal(123, 45, "-v=4", "exec", "-ti", "-n", namespace, "shell", "--",
                "sh", "-c", "until size=$(stty size 2>/dev/null) && [ -n \"$size\" ]; do sleep 0.1; done; echo \"size $size\"");
        assertEquals(0, sized.exitCode(), sized::toString);
        assertTrue(sized.stdout().contains("size 45 123\r\n"), sized::toString);
        assertTrue(sized.stdout().contains(NEGOTIATED_V5), () -> "kubectl negotiated no v5 over WebSocket: " + sized);
    }

    /**
     * Exec over WebSocket with the v4 channel protocol (what the Python client speaks): each binary
     * message starts with its channel, the exit code comes as a Status on channel 3. The runtime
     * writes its first frames right behind its 101; none may be lost on the way.
     */
    @Test
    void execOverWebSocketChannelProtocolV4() throws Exception {
        runPod("shell", List.of("sleep", "3600"), "Always");
        Path dataDir = adminKubeconfig.getParent();
        var client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
                .setKeyCertOptions(new PfxOptions().setPath(dataDir.resolve("admin.p12").toString()).setPassword("quarkube")));
        URI server = URI.create(controlPlane.serverUrl());
        for (int run = 0; run < 3; run++) {
            Map<Integer, StringBuilder> channels = new ConcurrentHashMap<>();
            CountDownLatch closed = new CountDownLatch(1);
            WebSocket socket = client.webSocket(new WebSocketConnectOptions().setHost(server.getHost()).setPort(server.getPort()).setSsl(true)
                    .setURI("/api/v1/namespaces/" + namespace + "/pods/shell/exec?command=sh&command=-c&command=echo%20hi%3B%20exit%204"
                            + "&stdout=true&stderr=true")
                    .addSubProtocol("v4.channel.k8s.io")).map(connected -> {
                        // on the event loop, before the first message is handled
                        connected.handler(message -> channels.computeIfAbsent((int) message.getByte(0), c -> new StringBuilder())
                                .append(message.getString(1, message.length())));
                        connected.closeHandler(ignored -> closed.countDown());
                        return connected;
                    }).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals("v4.channel.k8s.io", socket.subProtocol());
            assertTrue(closed.await(30, TimeUnit.SECONDS), "the runtime closes the stream when the command ends");
            assertEquals("hi\n", channels.get(1).toString());
            JsonObject status = new JsonObject(channels.get(3).toString());
            assertEquals("NonZeroExitCode", status.getString("reason"));
            assertEquals("4", status.getJsonObject("details").getJsonArray("causes").getJsonObject(0).getString("message"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    void portForwardToAPod(String version) {
        runPod("web", List.of("sh", "-c", "mkdir -p /www && echo hello through the tunnel > /www/index.html && exec httpd -f -p 8080 -h /www"),
                "Always");
        int localPort = Polling.freePort();
        try (Kubectl.Background forward = kubectl(version).start("port-forward", "-n", namespace, "pod/web", localPort + ":8080")) {
            Polling.until(DEADLINE, () -> "kubectl port-forward to listen, output " + forward.lines(), () -> forward.lines().stream()
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
            assertEquals("hello through the tunnel\n", body[0]);
        }
    }
}
