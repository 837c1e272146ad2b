package io.quarkube.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkube.agent.AgentExecutors;
import io.quarkube.agent.config.AgentConfig;
import io.quarkube.agent.node.NodeFacts;
import io.quarkube.agent.node.NodeHeartbeat;
import io.quarkube.agent.runtime.SimulatedRuntime;
import io.quarkube.agent.testing.TestAgents;
import io.quarkube.agent.testing.controlplane.ControlPlane;
import io.quarkube.agent.testing.controlplane.ControlPlaneExtension;
import io.vertx.core.Vertx;

/**
 * The node endpoint of simulated nodes, reached as users reach it (real kubectl → the control plane →
 * the agent's endpoint): their pods run no processes, so logs answer with a line saying so, and exec is
 * refused with a Status naming the simulated node.
 */
@ExtendWith(ControlPlaneExtension.class)
class SimulatedNodeServerTest {

    private static final String NODE = "simulated-streaming-node";
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private static Path adminKubeconfig;
    private static KubernetesClient api;
    private static Vertx vertx;
    private static AgentServer agent;
    private static KubernetesClient nodeClient;
    private static AgentExecutors executors;
    private static NodeHeartbeat heartbeat;

    @BeforeAll
    static void start(ControlPlane controlPlane) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "simulated-server-");
        Path nodeKubeconfig = controlPlane.nodeKubeconfig(NODE);
        Path dataDir = nodeKubeconfig.getParent().getParent();
        adminKubeconfig = dataDir.resolve("admin.kubeconfig");
        api = controlPlane.admin();
        vertx = Vertx.vertx();
        SimulatedRuntime runtime = new SimulatedRuntime(Clock.systemUTC(), Duration.ZERO, Duration.ZERO,
                new SimulatedRuntime.SimulatedPodNetwork("10.244.0.0"));
        agent = AgentServer.start(vertx, runtime, new AgentServer.Settings("127.0.0.1", 0, Files.readString(dataDir.resolve("ca.crt")),
                ServingCertificate.selfSigned(NODE, List.of("127.0.0.1")))).toCompletionStage().toCompletableFuture().get();
        AgentConfig config = TestAgents.config(dir, Map.of("quarkube.agent.node.kubelet-port", Integer.toString(agent.port()),
                "quarkube.agent.node.internal-ip", "127.0.0.1"));
        nodeClient = ControlPlane.client(nodeKubeconfig);
        executors = new AgentExecutors(2);
        heartbeat = new NodeHeartbeat(NODE, NodeFacts.ofHost(config.node(), "simulated://test", dir), nodeClient, config.node(),
                Clock.systemUTC(), Optional::empty);
        heartbeat.start(executors, Duration.ZERO);
        Polling.until(DEADLINE, "node " + NODE + " to publish the server's port", () -> {
            Node node = api.nodes().withName(NODE).get();
            return node != null && node.getStatus() != null && node.getStatus().getDaemonEndpoints() != null
                    && node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort() == agent.port();
        });
        api.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("sim").endMetadata()
                .withNewSpec().withNodeName(NODE).addNewContainer().withName("app").withImage("busybox").endContainer().endSpec()
                .build()).create();
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.pods().inNamespace("default").withName("sim").withGracePeriod(0).delete();
        }
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

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    void logsSayThePodRunsNoProcess(String version) {
        Kubectl.Result result = new Kubectl(version, adminKubeconfig).run(null, "logs", "sim", "-c", "app");
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals("quarkube simulated node: container \"app\" of pod default/sim runs no process, so it has no log\n", result.stdout());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    void execIsRefusedNamingTheSimulatedNode(String version) {
        Kubectl.Result result = new Kubectl(version, adminKubeconfig).run(null, "exec", "sim", "-c", "app", "--", "true");
        assertNotEquals(0, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains(
                "Error from server (BadRequest): quarkube simulated node: container \"app\" of pod default/sim runs no process to exec in"),
                result.toString());
    }
}
