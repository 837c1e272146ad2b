package io.quarkube.scheduler.framework;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * One scheduling profile: its plugins at each extension point, run in order over a snapshot —
 * PreFilter, Filter on every node (a node's first rejection counts), PreScore and Score on the
 * feasible nodes, normalize, weight, and the highest total wins (ties go to the node listed first
 * after a rotation, so equal nodes share the load). Pure: no I/O, one thread.
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
    private final List<ReservePlugin> reserves;
    private int rotation;

    public Framework(List<PreFilterPlugin> preFilters, List<FilterPlugin> filters, List<WeightedScore> scores,
            List<ReservePlugin> reserves) {
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
        List<NodeInfo> feasible = new ArrayList<>();
        Map<String, Status> rejections = new HashMap<>();
        int start = Math.floorMod(rotation++, nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            NodeInfo node = nodes.get((start + i) % nodes.size());
            Status status = filter(state, pod, node);
            if (status.isSuccess()) {
                feasible.add(node);
            } else {
                rejections.put(node.name(), status);
            }
        }
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
