package io.quarkube.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.quarkube.scheduler.framework.NodeInfo;
import io.quarkube.scheduler.framework.Snapshot;

/**
 * The scheduler's view of nodes and the pods on them, fed by the Node and Pod informers, plus
 * pods it has assumed: a pod counts on its node from the moment the scheduler picks the node,
 * before the binding is written and seen back, so a burst of pods never overcommits a node. An
 * assumed pod is confirmed when the informer shows it bound, dropped when its binding fails.
 * Thread-safe: informer handlers write, the scheduling thread reads snapshots. A snapshot copies
 * only the nodes changed since the previous one (as kube-scheduler's generation-based snapshot),
 * so a cycle costs little more with a thousand nodes than with ten.
 */
final class SchedulerCache {

    private record Placement(Pod pod, String nodeName, boolean assumed) {
    }

    private final Map<String, NodeInfo> infos = new HashMap<>();
    private final Map<String, Placement> pods = new HashMap<>();
    /** The copies the last snapshot handed out, by node name; never changed once handed out. */
    private final TreeMap<String, NodeInfo> copies = new TreeMap<>();
    /** The last snapshot's nodes in name order, and their index (shared while no node comes or goes). */
    private NodeInfo[] ordered = new NodeInfo[0];
    private Map<String, Integer> index = Map.of();
    /** Nodes changed since the last snapshot. */
    private final Set<String> dirty = new HashSet<>();
    /** Nodes running pods with required anti-affinity, as of the last snapshot. */
    private final Set<String> withRequiredAntiAffinity = new HashSet<>();

    synchronized void putNode(Node node) {
        String name = node.getMetadata().getName();
        NodeInfo info = new NodeInfo(node);
        for (Placement placement : pods.values()) {
            if (placement.nodeName().equals(name)) {
                info.addPod(placement.pod());
            }
        }
        infos.put(name, info);
        dirty.add(name);
    }

    synchronized void removeNode(String name) {
        infos.remove(name);
        dirty.add(name);
    }

    /** A pod seen bound to a node (confirming an assumption), or no longer running anywhere. */
    synchronized void putPod(Pod pod) {
        String node = pod.getSpec().getNodeName();
        if (node == null || node.isEmpty() || terminal(pod)) {
            removePod(pod);
            return;
        }
        remove(key(pod));
        place(pod, node, false);
    }

    synchronized void removePod(Pod pod) {
        remove(key(pod));
    }

    /** Counts the pod on the node until the informer shows it bound or {@link #forget} drops it. */
    synchronized void assume(Pod pod, String nodeName) {
        remove(key(pod));
        place(pod, nodeName, true);
    }

    /** Drops an assumption whose binding failed; a pod the informer already shows bound stays. */
    synchronized void forget(Pod pod) {
        Placement placement = pods.get(key(pod));
        if (placement != null && placement.assumed()) {
            remove(key(pod));
        }
    }

    synchronized boolean isPlaced(String key) {
        return pods.containsKey(key);
    }

    synchronized Snapshot snapshot() {
        NodeInfo[] next = ordered.clone();
        boolean membershipChanged = false;
        for (String name : dirty) {
            NodeInfo info = infos.get(name);
            if (info == null) {
                withRequiredAntiAffinity.remove(name);
                membershipChanged |= copies.remove(name) != null;
            } else {
                NodeInfo copy = info.copy();
                if (copy.podsWithRequiredAntiAffinity().isEmpty()) {
                    withRequiredAntiAffinity.remove(name);
                } else {
                    withRequiredAntiAffinity.add(name);
                }
                Integer position = index.get(name);
                membershipChanged |= copies.put(name, copy) == null;
                if (position != null) {
                    next[position] = copy;
                }
            }
        }
        dirty.clear();
        if (membershipChanged) {
            next = copies.values().toArray(NodeInfo[]::new);
            index = Snapshot.indexOf(next);
        }
        ordered = next;
        List<NodeInfo> antiAffinity = new ArrayList<>(withRequiredAntiAffinity.size());
        for (String name : withRequiredAntiAffinity) {
            antiAffinity.add(next[index.get(name)]);
        }
        return new Snapshot(next, index, antiAffinity);
    }

    synchronized void clear() {
        infos.clear();
        pods.clear();
        copies.clear();
        ordered = new NodeInfo[0];
        withRequiredAntiAffinity.clear();
        index = Map.of();
        dirty.clear();
    }

    private void place(Pod pod, String nodeName, boolean assumed) {
        pods.put(key(pod), new Placement(pod, nodeName, assumed));
        NodeInfo info = infos.get(nodeName);
        if (info != null) {
            info.addPod(pod);
            dirty.add(nodeName);
        }
    }

    private void remove(String key) {
        Placement placement = pods.remove(key);
        if (placement != null) {
            NodeInfo info = infos.get(placement.nodeName());
            if (info != null) {
                info.removePod(placement.pod());
                dirty.add(placement.nodeName());
            }
        }
    }

    static boolean terminal(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }
}
