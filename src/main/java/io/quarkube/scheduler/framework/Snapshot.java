package io.quarkube.scheduler.framework;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes and their pods as one scheduling cycle sees them: a copy that does not change under it.
 * Snapshots of an unchanged set of nodes share one name index, so a new snapshot costs a copy of
 * the array of nodes, not a map of them.
 */
public final class Snapshot {

    private final NodeInfo[] nodes;
    private final List<NodeInfo> view;
    /** Position of each node in {@link #nodes}, by name; never changed once built. */
    private final Map<String, Integer> index;
    /** The nodes running pods with required anti-affinity terms, which every cycle must check. */
    private final List<NodeInfo> withRequiredAntiAffinity;

    public Snapshot(List<NodeInfo> nodes) {
        this(nodes.toArray(NodeInfo[]::new), indexOf(nodes.toArray(NodeInfo[]::new)),
                nodes.stream().filter(node -> !node.podsWithRequiredAntiAffinity().isEmpty()).toList());
    }

    /**
     * A snapshot of these nodes with their index (see {@link #indexOf}) and those of them that run
     * pods with required anti-affinity; the array must not change afterwards.
     */
    public Snapshot(NodeInfo[] nodes, Map<String, Integer> index, List<NodeInfo> withRequiredAntiAffinity) {
        this.nodes = nodes;
        this.view = Collections.unmodifiableList(Arrays.asList(nodes));
        this.index = index;
        this.withRequiredAntiAffinity = List.copyOf(withRequiredAntiAffinity);
    }

    public static Snapshot of(NodeInfo... nodes) {
        return new Snapshot(List.of(nodes));
    }

    /** The name index of these nodes: each name's position. */
    public static Map<String, Integer> indexOf(NodeInfo[] nodes) {
        Map<String, Integer> index = new HashMap<>(nodes.length * 2);
        for (int i = 0; i < nodes.length; i++) {
            index.put(nodes[i].name(), i);
        }
        return Collections.unmodifiableMap(index);
    }

    public List<NodeInfo> nodes() {
        return view;
    }

    /** The nodes running at least one pod with required pod anti-affinity (kube's HavePodsWithRequiredAntiAffinityList). */
    public List<NodeInfo> havePodsWithRequiredAntiAffinity() {
        return withRequiredAntiAffinity;
    }

    public NodeInfo get(String name) {
        Integer position = index.get(name);
        return position == null ? null : nodes[position];
    }
}
