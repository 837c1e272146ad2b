package io.quarkube.agent.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;

class NodeObjectsTest {

    private static final NodeFacts FACTS = new NodeFacts(new Quantity("4"), new Quantity("8Gi"), new Quantity("100Gi"), 110,
            "192.168.1.9", "linux", "amd64", "6.1.0", "Debian GNU/Linux 12 (bookworm)", "containerd://1.6.20", "v1.33.0-quarkube", 10250);
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00.123456789Z");

    @Test
    void nodeHasTheKubeletsLabelsCapacityAddressesAndInfo() {
        Node node = NodeObjects.node("worker-1", FACTS, NOW);

        assertEquals("worker-1", node.getMetadata().getLabels().get("kubernetes.io/hostname"));
        assertEquals("linux", node.getMetadata().getLabels().get("kubernetes.io/os"));
        assertEquals("amd64", node.getMetadata().getLabels().get("kubernetes.io/arch"));
        assertEquals(Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"), "ephemeral-storage", new Quantity("100Gi"),
                "pods", new Quantity("110")), node.getStatus().getCapacity());
        assertEquals(node.getStatus().getCapacity(), node.getStatus().getAllocatable());
        assertEquals("192.168.1.9", node.getStatus().getAddresses().get(0).getAddress());
        assertEquals("InternalIP", node.getStatus().getAddresses().get(0).getType());
        assertEquals("worker-1", node.getStatus().getAddresses().get(1).getAddress());
        assertEquals("Hostname", node.getStatus().getAddresses().get(1).getType());
        assertEquals("containerd://1.6.20", node.getStatus().getNodeInfo().getContainerRuntimeVersion());
        assertEquals(10250, node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort());
    }

    @ParameterizedTest
    @CsvSource({
            "MemoryPressure, False, KubeletHasSufficientMemory",
            "DiskPressure, False, KubeletHasNoDiskPressure",
            "PIDPressure, False, KubeletHasSufficientPID",
            "Ready, True, KubeletReady"})
    void conditionsOfAHealthyNode(String type, String status, String reason) {
        List<NodeCondition> conditions = NodeObjects.conditions(NOW, Instant.parse("2026-01-01T09:00:00Z"));
        NodeCondition condition = conditions.stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();

        assertEquals(status, condition.getStatus());
        assertEquals(reason, condition.getReason());
        assertEquals("2026-01-01T10:00:00Z", condition.getLastHeartbeatTime());
        assertEquals("2026-01-01T09:00:00Z", condition.getLastTransitionTime());
    }

    @Test
    void leaseIsHeldByTheNodeAndOwnedByIt() {
        Lease lease = NodeObjects.lease("worker-1", "uid-7", 40, NOW);

        assertEquals("kube-node-lease", lease.getMetadata().getNamespace());
        assertEquals("worker-1", lease.getMetadata().getName());
        assertEquals("worker-1", lease.getSpec().getHolderIdentity());
        assertEquals(40, lease.getSpec().getLeaseDurationSeconds());
        assertEquals("Node", lease.getMetadata().getOwnerReferences().get(0).getKind());
        assertEquals("uid-7", lease.getMetadata().getOwnerReferences().get(0).getUid());
        assertEquals(NOW.getNano() / 1000, lease.getSpec().getRenewTime().getNano() / 1000);
    }

    @ParameterizedTest
    @CsvSource({"amd64, amd64", "x86_64, amd64", "aarch64, arm64", "i386, 386", "s390x, s390x"})
    void architectureUsesGoNames(String java, String go) {
        assertEquals(go, NodeFacts.goArch(java));
    }
}
