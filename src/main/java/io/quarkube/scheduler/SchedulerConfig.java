package io.quarkube.scheduler;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The scheduler's settings. */
@ConfigMapping(prefix = "quarkube.scheduler")
public interface SchedulerConfig {

    /** Whether this replica competes for the kube-scheduler lease and schedules while holding it. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Share of the nodes (1-100) a scheduling cycle finds feasible before it stops filtering and
     * scores them, as kube-scheduler's percentageOfNodesToScore; 0 is its adaptive default
     * (50% less one point per 125 nodes, at least 5%; never fewer than 100 nodes).
     */
    @WithDefault("0")
    int percentageOfNodesToScore();
}
