package io.quarkube.scheduler.framework;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Amounts of the resources the scheduler fits: cpu in millicores, memory and ephemeral storage in
 * bytes, and a pod count. Pure arithmetic on pods and nodes, as kube's resource helpers.
 */
public record Resources(long milliCpu, long memory, long ephemeralStorage, long pods) {

    public static final Resources ZERO = new Resources(0, 0, 0, 0);
    /** What scoring assumes for a container that requests nothing (kube's non-zero defaults). */
    static final long DEFAULT_MILLI_CPU = 100;
    static final long DEFAULT_MEMORY = 200L * 1024 * 1024;

    public Resources plus(Resources other) {
        return new Resources(milliCpu + other.milliCpu, memory + other.memory,
                ephemeralStorage + other.ephemeralStorage, pods + other.pods);
    }

    public Resources minus(Resources other) {
        return new Resources(milliCpu - other.milliCpu, memory - other.memory,
                ephemeralStorage - other.ephemeralStorage, pods - other.pods);
    }

    private static Resources max(Resources a, Resources b) {
        return new Resources(Math.max(a.milliCpu, b.milliCpu), Math.max(a.memory, b.memory),
                Math.max(a.ephemeralStorage, b.ephemeralStorage), Math.max(a.pods, b.pods));
    }

    /** A node's allocatable resources (its capacity when allocatable is not reported). */
    public static Resources allocatable(io.fabric8.kubernetes.api.model.Node node) {
        var status = node.getStatus();
        if (status == null) {
            return ZERO;
        }
        Map<String, Quantity> amounts = status.getAllocatable() != null && !status.getAllocatable().isEmpty()
                ? status.getAllocatable() : status.getCapacity();
        return of(amounts, false).withPods(amounts == null ? 0 : count(amounts.get("pods")));
    }

    private Resources withPods(long count) {
        return new Resources(milliCpu, memory, ephemeralStorage, count);
    }

    /**
     * What the pod requests, counted as Kubernetes does: the larger of the containers' sum (with
     * restartable init containers, which keep running) and each init container's own request
     * (plus the restartable ones started before it), then the pod overhead; one pod.
     */
    public static Resources requests(Pod pod) {
        return requests(pod, false);
    }

    /** Requests as scoring sees them: a container without a cpu or memory request counts as 100m / 200Mi. */
    public static Resources nonZeroRequests(Pod pod) {
        return requests(pod, true);
    }

    private static Resources requests(Pod pod, boolean nonZero) {
        var spec = pod.getSpec();
        Resources containers = ZERO;
        for (Container container : orEmpty(spec.getContainers())) {
            containers = containers.plus(of(container, nonZero));
        }
        Resources sidecars = ZERO;
        Resources init = ZERO;
        for (Container container : orEmpty(spec.getInitContainers())) {
            Resources own = of(container, nonZero);
            if ("Always".equals(container.getRestartPolicy())) {
                sidecars = sidecars.plus(own);
                init = max(init, sidecars);
            } else {
                init = max(init, own.plus(sidecars));
            }
        }
        Resources total = max(containers.plus(sidecars), init);
        if (spec.getOverhead() != null) {
            total = total.plus(of(spec.getOverhead(), false));
        }
        return total.withPods(1);
    }

    private static Resources of(Container container, boolean nonZero) {
        Map<String, Quantity> requests = container.getResources() == null ? null : container.getResources().getRequests();
        return of(requests, nonZero);
    }

    private static Resources of(Map<String, Quantity> amounts, boolean nonZero) {
        Map<String, Quantity> given = amounts == null ? Map.of() : amounts;
        long cpu = given.containsKey("cpu") ? milli(given.get("cpu")) : nonZero ? DEFAULT_MILLI_CPU : 0;
        long memory = given.containsKey("memory") ? count(given.get("memory")) : nonZero ? DEFAULT_MEMORY : 0;
        return new Resources(cpu, memory, count(given.get("ephemeral-storage")), 0);
    }

    static long milli(Quantity quantity) {
        return quantity == null ? 0 : quantity.getNumericalAmount().multiply(BigDecimal.valueOf(1000))
                .setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }

    static long count(Quantity quantity) {
        return quantity == null ? 0 : quantity.getNumericalAmount().setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
