package io.quarkube.scheduler.framework;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * One scheduling profile: its plugins at each extension point, run in order over a snapshot —
 * PreFilter, Filter (a node's first rejection counts), PreScore and Score on the feasible nodes,
 * normalize, weight, and the highest total wins (ties go to the node listed first). As
 * kube-scheduler, Filter stops once enough feasible nodes are found (percentageOfNodesToScore;
 * adaptive by default: 50% less one point per 125 nodes, at least 5% and at least 100 nodes) and
 * the next cycle starts where this one stopped, so every node gets its turn and equal nodes share
 * the load. Pure: no I/O, one thread.
 */
public final class Framework {

    /** A Score plugin and its weight. */
    public record WeightedScore(ScorePlugin plugin, int weight) {
    }

    /** The outcome of one cycle: the chosen node, or why none fits. */
    public record Decision(String nodeName, FitError fitError) {
        public boolean scheduled() {
            return nodeName != null;
        }
    }

    private final List<PreFilterPlugin> preFilters;
    private final List<FilterPlugin> filters;
    private final List<WeightedScore> scores;
    /** kube-scheduler's minFeasibleNodesToFind: below this many nodes, all are filtered and scored. */
    static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
    /** kube-scheduler's minFeasibleNodesPercentageToFind. */
    static final int MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

    private final List<ReservePlugin> reserves;
    private final int percentageOfNodesToScore;
    private int nextStartNodeIndex;

    /** A profile scoring an adaptive share of the nodes (percentageOfNodesToScore 0). */
    public Framework(List<PreFilterPlugin> preFilters, List<FilterPlugin> filters, List<WeightedScore> scores,
            List<ReservePlugin> reserves) {
        this(preFilters, filters, scores, reserves, 0);
    }

    /**
     * @param percentageOfNodesToScore share of the nodes (1-100) to find feasible before scoring;
     *        0 for kube-scheduler's adaptive share
     */
    public Framework(List<PreFilterPlugin> preFilters, List<FilterPlugin> filters, List<WeightedScore> scores,
            List<ReservePlugin> reserves, int percentageOfNodesToScore) {
        if (percentageOfNodesToScore < 0 || percentageOfNodesToScore > 100) {
            throw new IllegalArgumentException("percentageOfNodesToScore is 0 (adaptive) to 100, not " + percentageOfNodesToScore);
        }
        this.percentageOfNodesToScore = percentageOfNodesToScore;
        this.preFilters = List.copyOf(preFilters);
        this.filters = List.copyOf(filters);
        this.scores = List.copyOf(scores);
        this.reserves = List.copyOf(reserves);
    }

    public List<ReservePlugin> reserves() {
        return reserves;
    }

    public Decision schedule(CycleState state, Pod pod, Snapshot snapshot) {
        List<NodeInfo> nodes = snapshot.nodes();
        if (nodes.isEmpty()) {
            return new Decision(null, new FitError(0, Map.of()));
        }
        for (PreFilterPlugin plugin : preFilters) {
            Status status = plugin.preFilter(state, pod, snapshot);
            if (status.isRejection() || status.code() == Status.Code.ERROR) {
                Map<String, Status> all = new HashMap<>();
                nodes.forEach(node -> all.put(node.name(), status));
                return new Decision(null, new FitError(nodes.size(), all));
            }
        }
        int toFind = numFeasibleNodesToFind(percentageOfNodesToScore, nodes.size());
        List<NodeInfo> feasible = new ArrayList<>(Math.min(toFind, nodes.size()));
        Map<String, Status> rejections = new HashMap<>();
        int start = Math.floorMod(nextStartNodeIndex, nodes.size());
        int processed = 0;
        while (processed < nodes.size() && feasible.size() < toFind) {
            NodeInfo node = nodes.get((start + processed) % nodes.size());
            processed++;
            Status status = filter(state, pod, node);
            if (status.isSuccess()) {
                feasible.add(node);
            } else {
                rejections.put(node.name(), status);
            }
        }
        // A cycle that went through every node moves on by one, so ties do not always favour the same node.
        nextStartNodeIndex = (start + (processed == nodes.size() ? 1 : processed)) % nodes.size();
        if (feasible.isEmpty()) {
            return new Decision(null, new FitError(nodes.size(), rejections));
        }
        if (feasible.size() == 1) {
            return new Decision(feasible.get(0).name(), null);
        }
        long[] totals = score(state, pod, feasible, snapshot);
        int best = 0;
        for (int i = 1; i < totals.length; i++) {
            if (totals[i] > totals[best]) {
                best = i;
            }
        }
        return new Decision(feasible.get(best).name(), null);
    }

    /** How many feasible nodes a cycle looks for among numAllNodes (kube-scheduler's numFeasibleNodesToFind). */
    public static int numFeasibleNodesToFind(int percentageOfNodesToScore, int numAllNodes) {
        if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) {
            return numAllNodes;
        }
        int percentage = percentageOfNodesToScore;
        if (percentage == 0) {
            percentage = Math.max(50 - numAllNodes / 125, MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND);
        }
        return Math.max((int) ((long) numAllNodes * percentage / 100), MIN_FEASIBLE_NODES_TO_FIND);
    }

    public Status filter(CycleState state, Pod pod, NodeInfo node) {
        for (FilterPlugin plugin : filters) {
            Status status = plugin.filter(state, pod, node);
            if (!status.isSuccess() && !status.isSkip()) {
                return status;
            }
        }
        return Status.success();
    }

    /** Weighted, normalized totals per feasible node, in the order given. */
    public long[] score(CycleState state, Pod pod, List<NodeInfo> feasible, Snapshot snapshot) {
        long[] totals = new long[feasible.size()];
        for (WeightedScore weighted : scores) {
            ScorePlugin plugin = weighted.plugin();
            if (plugin.preScore(state, pod, feasible, snapshot).isSkip()) {
                continue;
            }
            long[] raw = new long[feasible.size()];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = plugin.score(state, pod, feasible.get(i));
            }
            plugin.normalize(state, pod, raw);
            for (int i = 0; i < raw.length; i++) {
                totals[i] += raw[i] * weighted.weight();
            }
        }
        return totals;
    }

    /** Runs the Reserve plugins; on a failure undoes the ones that ran (all Unreserve, they are idempotent). */
    public Status reserve(CycleState state, Pod pod, String nodeName) {
        for (ReservePlugin plugin : reserves) {
            Status status = plugin.reserve(state, pod, nodeName);
            if (!status.isSuccess()) {
                unreserve(state, pod, nodeName);
                return status;
            }
        }
        return Status.success();
    }

    public void unreserve(CycleState state, Pod pod, String nodeName) {
        for (int i = reserves.size() - 1; i >= 0; i--) {
            reserves.get(i).unreserve(state, pod, nodeName);
        }
    }
}
