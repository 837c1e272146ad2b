package io.quarkube.scheduler.plugins.podtopologyspread;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.quarkube.scheduler.framework.CycleState;
import io.quarkube.scheduler.framework.FilterPlugin;
import io.quarkube.scheduler.framework.LabelSelectors;
import io.quarkube.scheduler.framework.NodeInfo;
import io.quarkube.scheduler.framework.NodeSelectors;
import io.quarkube.scheduler.framework.PreFilterPlugin;
import io.quarkube.scheduler.framework.ScorePlugin;
import io.quarkube.scheduler.framework.Snapshot;
import io.quarkube.scheduler.framework.Status;
import io.quarkube.scheduler.plugins.PodMatching;

/**
 * The pod's topologySpreadConstraints. DoNotSchedule constraints filter: placing the pod in a
 * node's domain (the value of its topologyKey label) must not make that domain's count of matching
 * pods exceed the smallest domain's by more than maxSkew. ScheduleAnyway constraints score: the
 * fewer matching pods in the node's domain, the better. Domains are counted over the nodes that
 * pass the pod's node selector and affinity (nodeAffinityPolicy Honor) and carry the key.
 */
public final class PodTopologySpread implements PreFilterPlugin, FilterPlugin, ScorePlugin {

    public static final String NAME = "PodTopologySpread";
    static final String REASON = "node(s) didn't match pod topology spread constraints";
    static final String MISSING_LABEL = "node(s) didn't match pod topology spread constraints (missing required label)";

    /** Matching pods per domain value, for one constraint. */
    record Counts(TopologySpreadConstraint constraint, Map<String, Integer> perDomain, boolean selfMatch) {
        int min() {
            return perDomain.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        }
    }

    private record Hard(List<Counts> constraints) {
    }

    private record Soft(List<Counts> constraints) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state, Pod pod, Snapshot snapshot) {
        List<TopologySpreadConstraint> hard = constraints(pod, "DoNotSchedule");
        if (hard.isEmpty()) {
            return Status.skip();
        }
        state.write(Hard.class, new Hard(count(pod, hard, snapshot.nodes())));
        return Status.success();
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo node) {
        Hard hard = state.read(Hard.class);
        if (hard == null) {
            return Status.success();
        }
        Map<String, String> labels = NodeSelectors.labels(node.node());
        for (Counts counts : hard.constraints()) {
            String domain = labels.get(counts.constraint().getTopologyKey());
            if (domain == null) {
                return Status.unresolvable(MISSING_LABEL);
            }
            int skew = counts.perDomain().getOrDefault(domain, 0) + (counts.selfMatch() ? 1 : 0) - counts.min();
            if (skew > maxSkew(counts.constraint())) {
                return Status.unschedulable(REASON);
            }
        }
        return Status.success();
    }

    @Override
    public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasible, Snapshot snapshot) {
        List<TopologySpreadConstraint> soft = constraints(pod, "ScheduleAnyway");
        if (soft.isEmpty()) {
            return Status.skip();
        }
        state.write(Soft.class, new Soft(count(pod, soft, snapshot.nodes())));
        return Status.success();
    }

    @Override
    public long score(CycleState state, Pod pod, NodeInfo node) {
        Soft soft = state.read(Soft.class);
        long score = 0;
        Map<String, String> labels = NodeSelectors.labels(node.node());
        for (Counts counts : soft.constraints()) {
            String domain = labels.get(counts.constraint().getTopologyKey());
            // a node without the key is as bad as it gets for this constraint
            score += domain == null ? Integer.MAX_VALUE / 4 : counts.perDomain().getOrDefault(domain, 0) + maxSkew(counts.constraint()) - 1;
        }
        return score;
    }

    /** Fewer matching pods is better: the lowest count gets the maximum. */
    @Override
    public void normalize(CycleState state, Pod pod, long[] scores) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long score : scores) {
            min = Math.min(min, score);
            max = Math.max(max, score);
        }
        for (int i = 0; i < scores.length; i++) {
            scores[i] = max == min ? MAX_SCORE : MAX_SCORE * (max - scores[i]) / (max - min);
        }
    }

    private static List<TopologySpreadConstraint> constraints(Pod pod, String whenUnsatisfiable) {
        List<TopologySpreadConstraint> selected = new ArrayList<>();
        if (pod.getSpec().getTopologySpreadConstraints() != null) {
            for (TopologySpreadConstraint constraint : pod.getSpec().getTopologySpreadConstraints()) {
                if (whenUnsatisfiable.equals(constraint.getWhenUnsatisfiable())) {
                    selected.add(constraint);
                }
            }
        }
        return selected;
    }

    static List<Counts> count(Pod pod, List<TopologySpreadConstraint> constraints, List<NodeInfo> nodes) {
        List<Counts> all = new ArrayList<>();
        for (TopologySpreadConstraint constraint : constraints) {
            Map<String, Integer> perDomain = new HashMap<>();
            for (NodeInfo node : nodes) {
                String domain = NodeSelectors.labels(node.node()).get(constraint.getTopologyKey());
                if (domain == null || !NodeSelectors.podMatchesNode(pod, node.node())) {
                    continue;
                }
                int matching = 0;
                for (Pod existing : node.pods()) {
                    if (PodMatching.counts(existing, pod.getMetadata().getNamespace(), constraint.getLabelSelector())) {
                        matching++;
                    }
                }
                perDomain.merge(domain, matching, Integer::sum);
            }
            all.add(new Counts(constraint, perDomain, LabelSelectors.matches(constraint.getLabelSelector(), PodMatching.labels(pod))));
        }
        return all;
    }

    private static int maxSkew(TopologySpreadConstraint constraint) {
        return constraint.getMaxSkew() == null ? 1 : constraint.getMaxSkew();
    }
}
