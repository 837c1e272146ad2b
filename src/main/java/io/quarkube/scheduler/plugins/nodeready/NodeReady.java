package io.quarkube.scheduler.plugins.nodeready;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.quarkube.scheduler.framework.CycleState;
import io.quarkube.scheduler.framework.FilterPlugin;
import io.quarkube.scheduler.framework.NodeInfo;
import io.quarkube.scheduler.framework.Status;
import io.quarkube.scheduler.framework.Taints;

/**
 * Only nodes whose Ready condition is True take new pods, unless the pod tolerates the NoSchedule
 * taint that condition stands for (node.kubernetes.io/not-ready for False, unreachable for
 * Unknown or missing), as DaemonSet pods such as network plugins do. The node lifecycle
 * controller adds those taints a little later; this filter closes the gap before it does, and
 * covers a node that never reported Ready.
 */
public final class NodeReady implements FilterPlugin {

    public static final String NAME = "NodeReady";
    static final String REASON = "node(s) were not ready";
    private static final Taint NOT_READY = new Taint("NoSchedule", Taints.NOT_READY, null, null);
    private static final Taint UNREACHABLE = new Taint("NoSchedule", Taints.UNREACHABLE, null, null);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo node) {
        String ready = node.readyStatus();
        if ("True".equals(ready)) {
            return Status.success();
        }
        Taint standsFor = "False".equals(ready) ? NOT_READY : UNREACHABLE;
        return Taints.toleration(pod.getSpec().getTolerations(), standsFor) != null ? Status.success() : Status.unresolvable(REASON);
    }
}
