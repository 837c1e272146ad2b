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

    public Snapshot(List<NodeInfo> nodes) {
        this(nodes.toArray(NodeInfo[]::new), indexOf(nodes.toArray(NodeInfo[]::new)));
    }

    /** A snapshot of these nodes with their index (see {@link #indexOf}); the array must not change afterwards. */
    public Snapshot(NodeInfo[] nodes, Map<String, Integer> index) {
        this.nodes = nodes;
        this.view = Collections.unmodifiableList(Arrays.asList(nodes));
        this.index = index;
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

    public NodeInfo get(String name) {
        Integer position = index.get(name);
        return position == null ? null : nodes[position];
    }
}
