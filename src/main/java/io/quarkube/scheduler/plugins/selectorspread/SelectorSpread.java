package io.quarkube.scheduler.plugins.selectorspread;

import java.util.List;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.quarkube.scheduler.framework.CycleState;
import io.quarkube.scheduler.framework.NodeInfo;
import io.quarkube.scheduler.framework.ScorePlugin;
import io.quarkube.scheduler.framework.Snapshot;
import io.quarkube.scheduler.framework.Status;
import io.quarkube.scheduler.plugins.PodMatching;

/**
 * Spreads the pods of one Service or ReplicaSet across nodes: the fewer pods a node already runs
 * that the pod's Services and owning ReplicaSet select, the better (kube-scheduler's SelectorSpread).
 */
public final class SelectorSpread implements ScorePlugin {

    public static final String NAME = "SelectorSpread";

    /** The label selectors of the Services selecting the pod and of the ReplicaSet owning it; read from caches. */
    @FunctionalInterface
    public interface Selectors {
        List<LabelSelector> of(Pod pod);
    }

    private record Selected(List<LabelSelector> selectors) {
    }

    private final Selectors selectors;

    public SelectorSpread(Selectors selectors) {
        this.selectors = selectors;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasible, Snapshot snapshot) {
        List<LabelSelector> found = selectors.of(pod);
        if (found.isEmpty()) {
            return Status.skip();
        }
        state.write(Selected.class, new Selected(found));
        return Status.success();
    }

    @Override
    public long score(CycleState state, Pod pod, NodeInfo node) {
        List<LabelSelector> found = state.read(Selected.class).selectors();
        long count = 0;
        for (Pod existing : node.pods()) {
            for (LabelSelector selector : found) {
                if (PodMatching.counts(existing, pod.getMetadata().getNamespace(), selector)) {
                    count++;
                    break;
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
