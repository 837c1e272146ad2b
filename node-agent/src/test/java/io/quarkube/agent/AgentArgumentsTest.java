package io.quarkube.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgentArgumentsTest {

    @Test
    void criWithTheDefaultSocket() {
        AgentArguments args = AgentArguments.parse("--kubeconfig", "/k", "--node-name", "n1", "--runtime", "cri");

        assertEquals(new AgentArguments(Path.of("/k"), "n1", AgentArguments.Runtime.CRI,
                Optional.of(Path.of("/run/containerd/containerd.sock")), 0), args);
        assertEquals(List.of("n1"), args.nodeNames());
    }

    @Test
    void cleanupProxyStandsAlone() {
        assertEquals(true, AgentArguments.isCleanupProxy("--cleanup-proxy"));
        assertEquals(false, AgentArguments.isCleanupProxy("--cleanup-proxy", "--kubeconfig", "/k"));
        assertEquals(false, AgentArguments.isCleanupProxy("--kubeconfig", "/k", "--node-name", "n1", "--runtime", "cri"));
    }

    @Test
    void criWithAGivenSocket() {
        assertEquals(Optional.of(Path.of("/run/crio/crio.sock")), AgentArguments.parse(
                "--kubeconfig", "/k", "--node-name", "n1", "--runtime", "cri", "--cri-socket", "/run/crio/crio.sock").criSocket());
    }

    @Test
    void simulatedNodesAreNumberedFromZero() {
        AgentArguments args = AgentArguments.parse("--kubeconfig", "/k", "--node-name", "sim", "--runtime", "simulated", "--simulate-nodes", "3");

        assertEquals(List.of("sim-0", "sim-1", "sim-2"), args.nodeNames());
        assertEquals(Optional.empty(), args.criSocket());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "--node-name n --runtime cri",
            "--kubeconfig k --runtime cri",
            "--kubeconfig k --node-name n",
            "--kubeconfig k --node-name n --runtime docker",
            "--kubeconfig k --node-name n --runtime cri --simulate-nodes 3",
            "--kubeconfig k --node-name n --runtime simulated --cri-socket /s",
            "--kubeconfig k --node-name n --runtime simulated --simulate-nodes 0",
            "--kubeconfig k --node-name n --runtime simulated --simulate-nodes many",
            "--kubeconfig k --node-name n --runtime simulated --verbose yes",
            "--kubeconfig"})
    void rejectedCommandLines(String line) {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");
        assertThrows(IllegalArgumentException.class, () -> AgentArguments.parse(args));
    }
}
