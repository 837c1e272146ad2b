package io.quarkube.agent.node;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;

/** The Node and Lease objects a kubelet writes, built from facts and a clock; no I/O. */
public final class NodeObjects {

    public static final String LEASE_NAMESPACE = "kube-node-lease";

    private NodeObjects() {
    }

    /** The Node as registered: labels, and the status of a node that has just become Ready. */
    public static Node node(String name, NodeFacts facts, Instant now) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(Map.of(
                        "kubernetes.io/hostname", name,
                        "kubernetes.io/os", facts.os(),
                        "kubernetes.io/arch", facts.arch(),
                        "beta.kubernetes.io/os", facts.os(),
                        "beta.kubernetes.io/arch", facts.arch()))
                .withAnnotations(Map.of("node.alpha.kubernetes.io/ttl", "0"))
                .endMetadata()
                .withNewSpec().endSpec()
                .withStatus(status(name, facts, conditions(now, now)))
                .build();
    }

    /** status as the kubelet reports it; conditions carry their own heartbeat and transition times. */
    public static NodeStatus status(String name, NodeFacts facts, List<NodeCondition> conditions) {
        Map<String, Quantity> capacity = Map.of(
                "cpu", facts.cpu(),
                "memory", facts.memory(),
                "ephemeral-storage", facts.ephemeralStorage(),
                "pods", new Quantity(Integer.toString(facts.maxPods())));
        return new NodeStatusBuilder()
                .withCapacity(capacity)
                .withAllocatable(capacity)
                .withAddresses(new NodeAddress(facts.internalIp(), "InternalIP"), new NodeAddress(name, "Hostname"))
                .withConditions(conditions)
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(facts.kubeletPort()).endKubeletEndpoint().endDaemonEndpoints()
                .withNewNodeInfo()
                .withArchitecture(facts.arch())
                .withOperatingSystem(facts.os())
                .withKernelVersion(facts.kernelVersion())
                .withOsImage(facts.osImage())
                .withContainerRuntimeVersion(facts.containerRuntimeVersion())
                .withKubeletVersion(facts.kubeletVersion())
                .withKubeProxyVersion("")
                .withMachineID("")
                .withSystemUUID("")
                .withBootID("")
                .endNodeInfo()
                .build();
    }

    /** The four conditions of a healthy node: Ready, and no memory, disk or PID pressure. */
    public static List<NodeCondition> conditions(Instant heartbeat, Instant transition) {
        return conditions(heartbeat, transition, transition, Optional.empty());
    }

    /**
     * The node's conditions; Ready is False (KubeletNotReady) while the container runtime reports a
     * problem, as the kubelet's runtime health check does.
     *
     * @param readyTransition when Ready last changed
     */
    public static List<NodeCondition> conditions(Instant heartbeat, Instant registered, Instant readyTransition, Optional<String> runtimeProblem) {
        NodeCondition ready = runtimeProblem
                .map(problem -> condition("Ready", "False", "KubeletNotReady", "container runtime is down: " + problem, heartbeat, readyTransition))
                .orElseGet(() -> condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", heartbeat, readyTransition));
        return List.of(
                condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", heartbeat, registered),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", heartbeat, registered),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", heartbeat, registered),
                ready);
    }

    /** The node's Lease, owned by its Node so it goes when the Node is deleted. */
    public static Lease lease(String nodeName, String nodeUid, int durationSeconds, Instant renewTime) {
        return new LeaseBuilder()
                .withNewMetadata()
                .withName(nodeName)
                .withNamespace(LEASE_NAMESPACE)
                .addNewOwnerReference()
                .withApiVersion("v1").withKind("Node").withName(nodeName).withUid(nodeUid)
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity(nodeName)
                .withLeaseDurationSeconds(durationSeconds)
                .withRenewTime(ZonedDateTime.ofInstant(renewTime.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC))
                .endSpec()
                .build();
    }

    /** metav1.Time: RFC 3339 with seconds. */
    public static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static NodeCondition condition(String type, String status, String reason, String message,
            Instant heartbeat, Instant transition) {
        return new NodeConditionBuilder()
                .withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastHeartbeatTime(time(heartbeat)).withLastTransitionTime(time(transition))
                .build();
    }
}
