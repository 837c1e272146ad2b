package io.quarkube.scheduler.framework;

/**
 * Runs once per pod before any Filter: computes what the filters need (into the cycle state) and
 * may reject the pod outright. Skip means this plugin's Filter has nothing to check for the pod.
 */
public interface PreFilterPlugin extends Plugin {

    Status preFilter(CycleState state, io.fabric8.kubernetes.api.model.Pod pod, Snapshot snapshot);
}
