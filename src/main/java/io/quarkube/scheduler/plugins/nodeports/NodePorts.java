package io.quarkube.scheduler.plugins.nodeports;

import java.util.List;

import io.fabric8.kubernetes.api.model.Pod;
import io.quarkube.scheduler.framework.CycleState;
import io.quarkube.scheduler.framework.FilterPlugin;
import io.quarkube.scheduler.framework.NodeInfo;
import io.quarkube.scheduler.framework.NodeInfo.HostPort;
import io.quarkube.scheduler.framework.PreFilterPlugin;
import io.quarkube.scheduler.framework.Snapshot;
import io.quarkube.scheduler.framework.Status;

/**
 * A host port (protocol and number) can be taken once per address on a node; a port on all
 * addresses (no hostIP, or 0.0.0.0) conflicts with the same port on any address.
 */
public final class NodePorts implements PreFilterPlugin, FilterPlugin {

    public static final String NAME = "NodePorts";
    static final String REASON = "node(s) didn't have free ports for the requested pod ports";

    private record Wanted(List<HostPort> ports) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state, Pod pod, Snapshot snapshot) {
        List<HostPort> ports = NodeInfo.hostPorts(pod);
        state.write(Wanted.class, new Wanted(ports));
        return ports.isEmpty() ? Status.skip() : Status.success();
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo node) {
        Wanted wanted = state.read(Wanted.class);
        List<HostPort> ports = wanted == null ? NodeInfo.hostPorts(pod) : wanted.ports();
        for (HostPort port : ports) {
            for (HostPort used : node.usedPorts()) {
                if (conflict(port, used)) {
                    return Status.unschedulable(REASON);
                }
            }
        }
        return Status.success();
    }

    static boolean conflict(HostPort a, HostPort b) {
        return a.port() == b.port() && a.protocol().equals(b.protocol())
                && (a.ip().isEmpty() || b.ip().isEmpty() || a.ip().equals(b.ip()));
    }
}
