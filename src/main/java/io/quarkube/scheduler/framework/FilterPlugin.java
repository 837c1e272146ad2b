package io.quarkube.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;

/** Says whether the pod may run on the node. Synchronous, no I/O: it reads the node info and cycle state. */
public interface FilterPlugin extends Plugin {

    Status filter(CycleState state, Pod pod, NodeInfo node);
}
