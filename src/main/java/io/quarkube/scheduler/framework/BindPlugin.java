package io.quarkube.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;
import io.smallrye.mutiny.Uni;

/** Makes the decision real: the only extension point that calls the API. Skip lets the next binder try. */
public interface BindPlugin extends Plugin {

    Uni<Status> bind(CycleState state, Pod pod, String nodeName);
}
