package io.quarkube.scheduler.framework;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The nodes and their pods as one scheduling cycle sees them: a copy that does not change under it. */
public final class Snapshot {

    private final List<NodeInfo> nodes;
    private final Map<String, NodeInfo> byName = new LinkedHashMap<>();

    public Snapshot(List<NodeInfo> nodes) {
        this.nodes = List.copyOf(nodes);
        nodes.forEach(node -> byName.put(node.name(), node));
    }

    public static Snapshot of(NodeInfo... nodes) {
        return new Snapshot(List.of(nodes));
    }

    public List<NodeInfo> nodes() {
        return nodes;
    }

    public NodeInfo get(String name) {
        return byName.get(name);
    }
}
