package io.quarkube.scheduler.plugins.noderesources;

import java.util.List;

import io.fabric8.kubernetes.api.model.Pod;
import io.quarkube.scheduler.framework.CycleState;
import io.quarkube.scheduler.framework.NodeInfo;
import io.quarkube.scheduler.framework.Resources;
import io.quarkube.scheduler.framework.ScorePlugin;
import io.quarkube.scheduler.framework.Snapshot;
import io.quarkube.scheduler.framework.Status;

/**
 * Favours nodes whose cpu and memory would be used in equal fractions after placing the pod:
 * score = (1 - standard deviation of the two fractions) × 100, as kube's NodeResourcesBalancedAllocation.
 */
public final class BalancedAllocation implements ScorePlugin {

    public static final String NAME = "NodeResourcesBalancedAllocation";

    @Override
    public String name() {
        return NAME;
    }

    private record PodRequests(Resources nonZero) {
    }

    @Override
    public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasible, Snapshot snapshot) {
        state.write(PodRequests.class, new PodRequests(Resources.nonZeroRequests(pod)));
        return Status.success();
    }

    @Override
    public long score(CycleState state, Pod pod, NodeInfo node) {
        PodRequests computed = state.read(PodRequests.class);
        Resources wanted = node.nonZeroRequested().plus(computed != null ? computed.nonZero() : Resources.nonZeroRequests(pod));
        Resources allocatable = node.allocatable();
        return score(fraction(wanted.milliCpu(), allocatable.milliCpu()), fraction(wanted.memory(), allocatable.memory()));
    }

    static long score(double cpuFraction, double memoryFraction) {
        // the standard deviation of two values is half their distance
        double deviation = Math.abs(cpuFraction - memoryFraction) / 2;
        return (long) ((1 - deviation) * MAX_SCORE);
    }

    private static double fraction(long requested, long capacity) {
        return capacity == 0 ? 1 : Math.min(1.0, (double) requested / capacity);
    }
}
