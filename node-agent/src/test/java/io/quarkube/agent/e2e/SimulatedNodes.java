package io.quarkube.agent.e2e;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkube.agent.Agent;
import io.quarkube.agent.config.AgentConfig;
import io.quarkube.agent.runtime.SimulatedRuntime;
import io.quarkube.agent.testing.TestAgents;
import io.quarkube.agent.testing.controlplane.ControlPlane;

/**
 * A group of simulated nodes PREFIX-0 .. PREFIX-(N-1) kept by one node agent (the real agent with
 * the simulated runtime, as {@code --runtime simulated --simulate-nodes N} runs it), each with
 * 1 cpu and 2Gi of memory. The agent can be stopped and started again (same runtimes, so running
 * pods survive, as they would on a node whose agent restarts). Closing stops the agent and deletes
 * the Node objects, so the next test schedules onto its own nodes only.
 */
final class SimulatedNodes implements AutoCloseable {

    static final String CPU = "1";
    static final String MEMORY = "2Gi";
    private static final AtomicInteger NETWORKS = new AtomicInteger(100);

    private final KubernetesClient admin;
    private final KubernetesClient nodeClient;
    private final AgentConfig config;
    private final List<String> names;
    private final SimulatedRuntime.SimulatedPodNetwork network;
    private final Map<String, SimulatedRuntime> runtimes = new ConcurrentHashMap<>();
    private Agent agent;

    private SimulatedNodes(ControlPlane controlPlane, Path dir, String prefix, int count) {
        this.admin = controlPlane.admin();
        this.nodeClient = ControlPlane.client(controlPlane.nodeKubeconfig(prefix));
        this.config = TestAgents.config(dir.resolve(prefix), Map.of(
                "quarkube.agent.node.cpu", CPU,
                "quarkube.agent.node.memory", MEMORY,
                "quarkube.agent.node.lease-renew-interval", "1s",
                "quarkube.agent.node.status-update-interval", "1s"));
        List<String> nodeNames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodeNames.add(prefix + "-" + i);
        }
        this.names = List.copyOf(nodeNames);
        this.network = new SimulatedRuntime.SimulatedPodNetwork("10." + NETWORKS.getAndIncrement() + ".0.0");
    }

    /** Starts the agent of COUNT nodes and waits until they are all Ready. */
    static SimulatedNodes start(ControlPlane controlPlane, Path dir, String prefix, int count) {
        SimulatedNodes nodes = new SimulatedNodes(controlPlane, dir, prefix, count);
        nodes.startAgent();
        return nodes;
    }

    List<String> names() {
        return names;
    }

    String name(int index) {
        return names.get(index);
    }

    /** Starts the agent (again) and waits until every node is Ready. */
    void startAgent() {
        agent = TestAgents.start(nodeClient, config, names,
                node -> runtimes.computeIfAbsent(node, n -> new SimulatedRuntime(Clock.systemUTC(), Duration.ZERO, Duration.ZERO, network)));
        for (String name : names) {
            TestAgents.await(Duration.ofSeconds(60), "node " + name + " Ready", () -> "True".equals(readyStatus(admin.nodes().withName(name).get())));
        }
    }

    /** Stops the agent: its nodes stop heartbeating, their pods keep "running" in the simulated runtime. */
    void stopAgent() {
        if (agent != null) {
            agent.close();
            agent = null;
        }
    }

    /** Changes a node as an administrator would (labels, taints, cordon); the agent writes only status. */
    void edit(int index, UnaryOperator<Node> change) {
        admin.nodes().withName(name(index)).edit(change);
    }

    void label(int index, String key, String value) {
        edit(index, node -> {
            node.getMetadata().getLabels().put(key, value);
            return node;
        });
    }

    void taint(int index, Taint taint) {
        edit(index, node -> {
            List<Taint> taints = node.getSpec().getTaints() == null ? new ArrayList<>() : new ArrayList<>(node.getSpec().getTaints());
            taints.add(taint);
            node.getSpec().setTaints(taints);
            return node;
        });
    }

    static String readyStatus(Node node) {
        if (node == null || node.getStatus() == null || node.getStatus().getConditions() == null) {
            return "missing";
        }
        return node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                .map(c -> c.getStatus()).findFirst().orElse("missing");
    }

    @Override
    public void close() {
        stopAgent();
        nodeClient.close();
        for (String name : names) {
            admin.nodes().withName(name).delete();
        }
    }
}
