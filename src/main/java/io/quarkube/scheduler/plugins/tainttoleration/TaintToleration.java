package io.quarkube.scheduler.plugins.tainttoleration;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.quarkube.scheduler.framework.CycleState;
import io.quarkube.scheduler.framework.FilterPlugin;
import io.quarkube.scheduler.framework.NodeInfo;
import io.quarkube.scheduler.framework.ScorePlugin;
import io.quarkube.scheduler.framework.Status;
import io.quarkube.scheduler.framework.Taints;

/**
 * Filter: a node with a NoSchedule or NoExecute taint the pod does not tolerate is out. Score:
 * fewer untolerated PreferNoSchedule taints rank higher.
 */
public final class TaintToleration implements FilterPlugin, ScorePlugin {

    public static final String NAME = "TaintToleration";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo node) {
        var spec = node.node().getSpec();
        Taint taint = Taints.firstUntolerated(spec == null ? null : spec.getTaints(), pod.getSpec().getTolerations(),
                t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()));
        if (taint == null) {
            return Status.success();
        }
        return Status.unresolvable(reason(taint));
    }

    /** kube-scheduler's words: {@code node(s) had untolerated taint {key: value}}. */
    static String reason(Taint taint) {
        return "node(s) had untolerated taint {" + taint.getKey() + ": " + (taint.getValue() == null ? "" : taint.getValue()) + "}";
    }

    @Override
    public long score(CycleState state, Pod pod, NodeInfo node) {
        var spec = node.node().getSpec();
        long count = 0;
        if (spec != null && spec.getTaints() != null) {
            for (Taint taint : spec.getTaints()) {
                if ("PreferNoSchedule".equals(taint.getEffect()) && Taints.toleration(pod.getSpec().getTolerations(), taint) == null) {
                    count++;
                }
            }
        }
        return count;
    }

    @Override
    public void normalize(CycleState state, Pod pod, long[] scores) {
        ScorePlugin.normalizeToMax(scores, true);
    }
}
