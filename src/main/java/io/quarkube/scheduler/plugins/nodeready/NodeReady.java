package io.quarkube.scheduler.plugins.nodeready;

import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.quarkube.scheduler.framework.CycleState;
import io.quarkube.scheduler.framework.FilterPlugin;
import io.quarkube.scheduler.framework.NodeInfo;
import io.quarkube.scheduler.framework.Status;

/**
 * Only nodes whose Ready condition is True take new pods — kube-scheduler's former
 * CheckNodeCondition predicate. (The node lifecycle controller's not-ready and unreachable
 * taints say the same a little later; this also covers a node that never reported Ready.)
 */
public final class NodeReady implements FilterPlugin {

    public static final String NAME = "NodeReady";
    static final String REASON = "node(s) were not ready";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo node) {
        return isReady(node.node()) ? Status.success() : Status.unresolvable(REASON);
    }

    public static boolean isReady(io.fabric8.kubernetes.api.model.Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return false;
        }
        for (NodeCondition condition : node.getStatus().getConditions()) {
            if ("Ready".equals(condition.getType())) {
                return "True".equals(condition.getStatus());
            }
        }
        return false;
    }
}
