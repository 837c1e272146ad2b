package io.quarkube.scheduler.plugins.nodeaffinity;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.quarkube.scheduler.framework.CycleState;
import io.quarkube.scheduler.framework.FilterPlugin;
import io.quarkube.scheduler.framework.NodeInfo;
import io.quarkube.scheduler.framework.NodeSelectors;
import io.quarkube.scheduler.framework.ScorePlugin;
import io.quarkube.scheduler.framework.Status;

/**
 * Filter: spec.nodeSelector and the required node affinity. Score: the summed weights of the
 * preferred terms the node matches, scaled so the best node gets the maximum.
 */
public final class NodeAffinity implements FilterPlugin, ScorePlugin {

    public static final String NAME = "NodeAffinity";
    static final String REASON = "node(s) didn't match Pod's node affinity/selector";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo node) {
        return NodeSelectors.podMatchesNode(pod, node.node()) ? Status.success() : Status.unresolvable(REASON);
    }

    @Override
    public long score(CycleState state, Pod pod, NodeInfo node) {
        var affinity = pod.getSpec().getAffinity();
        if (affinity == null || affinity.getNodeAffinity() == null
                || affinity.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution() == null) {
            return 0;
        }
        long sum = 0;
        for (PreferredSchedulingTerm term : affinity.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()) {
            if (term.getWeight() != null && term.getWeight() != 0 && term.getPreference() != null
                    && NodeSelectors.matches(term.getPreference(), node.node())) {
                sum += term.getWeight();
            }
        }
        return sum;
    }

    @Override
    public void normalize(CycleState state, Pod pod, long[] scores) {
        ScorePlugin.normalizeToMax(scores, false);
    }
}
