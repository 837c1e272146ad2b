package io.quarkube.scheduler.plugins.noderesources;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Pod;
import io.quarkube.scheduler.framework.CycleState;
import io.quarkube.scheduler.framework.FilterPlugin;
import io.quarkube.scheduler.framework.NodeInfo;
import io.quarkube.scheduler.framework.PreFilterPlugin;
import io.quarkube.scheduler.framework.Resources;
import io.quarkube.scheduler.framework.ScorePlugin;
import io.quarkube.scheduler.framework.Snapshot;
import io.quarkube.scheduler.framework.Status;

/**
 * Filter: the pod's requests (computed once in PreFilter) fit in what the node's allocatable
 * leaves after its pods' requests, resource by resource, with one reason per short resource.
 * Score: least allocated — the more of cpu and memory left after placing the pod, the better.
 */
public final class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, ScorePlugin {

    public static final String NAME = "NodeResourcesFit";

    private record Requests(Resources requests, Resources nonZero) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state, Pod pod, Snapshot snapshot) {
        state.write(Requests.class, new Requests(Resources.requests(pod), Resources.nonZeroRequests(pod)));
        return Status.success();
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo node) {
        List<String> reasons = insufficient(requests(state, pod).requests(), node.requested(), node.allocatable());
        return reasons.isEmpty() ? Status.success() : new Status(Status.Code.UNSCHEDULABLE, reasons);
    }

    /** kube's fitsRequest: the reasons a node with these requested and allocatable amounts cannot take the pod. */
    static List<String> insufficient(Resources pod, Resources requested, Resources allocatable) {
        List<String> reasons = new ArrayList<>();
        if (requested.pods() + 1 > allocatable.pods()) {
            reasons.add("Too many pods");
        }
        if (pod.milliCpu() > 0 && pod.milliCpu() > allocatable.milliCpu() - requested.milliCpu()) {
            reasons.add("Insufficient cpu");
        }
        if (pod.memory() > 0 && pod.memory() > allocatable.memory() - requested.memory()) {
            reasons.add("Insufficient memory");
        }
        if (pod.ephemeralStorage() > 0 && pod.ephemeralStorage() > allocatable.ephemeralStorage() - requested.ephemeralStorage()) {
            reasons.add("Insufficient ephemeral-storage");
        }
        return reasons;
    }

    @Override
    public long score(CycleState state, Pod pod, NodeInfo node) {
        Resources wanted = node.nonZeroRequested().plus(requests(state, pod).nonZero());
        Resources allocatable = node.allocatable();
        return (leastAllocated(wanted.milliCpu(), allocatable.milliCpu()) + leastAllocated(wanted.memory(), allocatable.memory())) / 2;
    }

    static long leastAllocated(long requested, long capacity) {
        if (capacity == 0 || requested > capacity) {
            return 0;
        }
        return (capacity - requested) * MAX_SCORE / capacity;
    }

    private static Requests requests(CycleState state, Pod pod) {
        Requests computed = state.read(Requests.class);
        return computed != null ? computed : new Requests(Resources.requests(pod), Resources.nonZeroRequests(pod));
    }
}
