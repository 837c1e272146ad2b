package io.quarkube.scheduler.framework;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * One node with the pods assigned to it (bound, or assumed by the scheduler while binding) and
 * their summed requests and host ports, so filters need not add them up per cycle.
 */
public final class NodeInfo {

    /** A host port in use: address ("" for all), protocol, port. */
    public record HostPort(String ip, String protocol, int port) {
    }

    private final Node node;
    /** Parsed once: filters and scores read it for every pod. */
    private final Resources allocatable;
    /** The Ready condition's status ("True", "False", "Unknown"; "Unknown" when missing), read once. */
    private final String readyStatus;
    private final List<Pod> pods;
    /** The pods with required anti-affinity terms, which every scheduling cycle must check. */
    private final List<Pod> withRequiredAntiAffinity;
    private Resources requested;
    private Resources nonZeroRequested;
    private final Set<HostPort> usedPorts;

    public NodeInfo(Node node) {
        this(node, Resources.allocatable(node), new ArrayList<>(), new ArrayList<>(), Resources.ZERO, Resources.ZERO, new HashSet<>());
    }

    private NodeInfo(Node node, Resources allocatable, List<Pod> pods, List<Pod> withRequiredAntiAffinity, Resources requested, Resources nonZeroRequested,
            Set<HostPort> usedPorts) {
        this.node = node;
        this.allocatable = allocatable;
        this.readyStatus = readyStatus(node);
        this.pods = pods;
        this.withRequiredAntiAffinity = withRequiredAntiAffinity;
        this.requested = requested;
        this.nonZeroRequested = nonZeroRequested;
        this.usedPorts = usedPorts;
    }

    public static NodeInfo of(Node node, Pod... pods) {
        NodeInfo info = new NodeInfo(node);
        for (Pod pod : pods) {
            info.addPod(pod);
        }
        return info;
    }

    public Node node() {
        return node;
    }

    public String name() {
        return node.getMetadata().getName();
    }

    public List<Pod> pods() {
        return Collections.unmodifiableList(pods);
    }

    public List<Pod> podsWithRequiredAntiAffinity() {
        return Collections.unmodifiableList(withRequiredAntiAffinity);
    }

    public String readyStatus() {
        return readyStatus;
    }

    public Resources allocatable() {
        return allocatable;
    }

    public Resources requested() {
        return requested;
    }

    public Resources nonZeroRequested() {
        return nonZeroRequested;
    }

    public Set<HostPort> usedPorts() {
        return Collections.unmodifiableSet(usedPorts);
    }

    public void addPod(Pod pod) {
        pods.add(pod);
        if (hasRequiredAntiAffinity(pod)) {
            withRequiredAntiAffinity.add(pod);
        }
        requested = requested.plus(Resources.requests(pod));
        nonZeroRequested = nonZeroRequested.plus(Resources.nonZeroRequests(pod));
        usedPorts.addAll(hostPorts(pod));
    }

    /** Removes the pod with the pod's namespace and name; true when it was there. */
    public boolean removePod(Pod pod) {
        for (int i = 0; i < pods.size(); i++) {
            Pod held = pods.get(i);
            if (sameKey(held, pod)) {
                pods.remove(i);
                withRequiredAntiAffinity.removeIf(other -> sameKey(other, pod));
                requested = requested.minus(Resources.requests(held));
                nonZeroRequested = nonZeroRequested.minus(Resources.nonZeroRequests(held));
                usedPorts.clear();
                pods.forEach(remaining -> usedPorts.addAll(hostPorts(remaining)));
                return true;
            }
        }
        return false;
    }

    /** An independent copy, for a snapshot. */
    public NodeInfo copy() {
        return new NodeInfo(node, allocatable, new ArrayList<>(pods), new ArrayList<>(withRequiredAntiAffinity), requested, nonZeroRequested, new HashSet<>(usedPorts));
    }

    private static String readyStatus(Node node) {
        if (node.getStatus() != null && node.getStatus().getConditions() != null) {
            for (var condition : node.getStatus().getConditions()) {
                if ("Ready".equals(condition.getType())) {
                    return condition.getStatus() == null ? "Unknown" : condition.getStatus();
                }
            }
        }
        return "Unknown";
    }

    static boolean hasRequiredAntiAffinity(Pod pod) {
        var affinity = pod.getSpec().getAffinity();
        return affinity != null && affinity.getPodAntiAffinity() != null
                && affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() != null
                && !affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().isEmpty();
    }

    public static List<HostPort> hostPorts(Pod pod) {
        List<HostPort> ports = new ArrayList<>();
        for (var container : pod.getSpec().getContainers() == null ? List.<io.fabric8.kubernetes.api.model.Container> of()
                : pod.getSpec().getContainers()) {
            for (ContainerPort port : container.getPorts() == null ? List.<ContainerPort> of() : container.getPorts()) {
                if (port.getHostPort() != null && port.getHostPort() > 0) {
                    String ip = port.getHostIP() == null || port.getHostIP().equals("0.0.0.0") ? "" : port.getHostIP();
                    String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
                    ports.add(new HostPort(ip, protocol, port.getHostPort()));
                }
            }
        }
        return ports;
    }

    public static boolean sameKey(Pod a, Pod b) {
        return a.getMetadata().getName().equals(b.getMetadata().getName())
                && java.util.Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace());
    }
}
