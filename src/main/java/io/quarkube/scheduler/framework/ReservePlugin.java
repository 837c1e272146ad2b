package io.quarkube.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Told when a pod is assumed on a node (before binding) and, if binding then fails, told to undo
 * it. Unreserve must be idempotent: it may run for a reservation that never happened.
 */
public interface ReservePlugin extends Plugin {

    Status reserve(CycleState state, Pod pod, String nodeName);

    void unreserve(CycleState state, Pod pod, String nodeName);
}
