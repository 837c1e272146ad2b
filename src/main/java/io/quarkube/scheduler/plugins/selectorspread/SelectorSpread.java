package io.quarkube.scheduler.plugins.selectorspread;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.quarkube.scheduler.framework.CycleState;
import io.quarkube.scheduler.framework.NodeInfo;
import io.quarkube.scheduler.framework.NodeSelectors;
import io.quarkube.scheduler.framework.ScorePlugin;
import io.quarkube.scheduler.framework.Snapshot;
import io.quarkube.scheduler.framework.Status;
import io.quarkube.scheduler.plugins.PodMatching;

/**
 * Spreads the pods of one Service or ReplicaSet across nodes and zones: the fewer pods a node
 * already runs that the pod's Services and owning ReplicaSet select, the better; when nodes carry
 * topology.kubernetes.io/zone, the zone's count weighs two thirds (kube-scheduler's SelectorSpread).
 */
public final class SelectorSpread implements ScorePlugin {

    public static final String NAME = "SelectorSpread";

    /** The label selectors of the Services selecting the pod and of the ReplicaSet owning it; read from caches. */
    @FunctionalInterface
    public interface Selectors {
        List<LabelSelector> of(Pod pod);
    }

    static final String ZONE = "topology.kubernetes.io/zone";
    private static final double ZONE_WEIGHTING = 2.0 / 3.0;

    private record Selected(List<LabelSelector> selectors, List<NodeInfo> feasible) {
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
        state.write(Selected.class, new Selected(found, feasible));
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
        List<NodeInfo> feasible = state.read(Selected.class).feasible();
        Map<String, Long> perZone = new HashMap<>();
        for (int i = 0; i < scores.length; i++) {
            String zone = NodeSelectors.labels(feasible.get(i).node()).get(ZONE);
            if (zone != null) {
                perZone.merge(zone, scores[i], Long::sum);
            }
        }
        long maxPerNode = Arrays.stream(scores).max().orElse(0);
        long maxPerZone = perZone.values().stream().mapToLong(Long::longValue).max().orElse(0);
        for (int i = 0; i < scores.length; i++) {
            double score = maxPerNode == 0 ? MAX_SCORE : (double) MAX_SCORE * (maxPerNode - scores[i]) / maxPerNode;
            String zone = NodeSelectors.labels(feasible.get(i).node()).get(ZONE);
            if (!perZone.isEmpty() && zone != null) {
                double zoneScore = maxPerZone == 0 ? MAX_SCORE : (double) MAX_SCORE * (maxPerZone - perZone.get(zone)) / maxPerZone;
                score = score * (1 - ZONE_WEIGHTING) + ZONE_WEIGHTING * zoneScore;
            }
            scores[i] = (long) score;
        }
    }
}
