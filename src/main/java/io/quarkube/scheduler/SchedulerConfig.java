package io.quarkube.scheduler;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The scheduler's settings. */
@ConfigMapping(prefix = "quarkube.scheduler")
public interface SchedulerConfig {

    /** Whether this replica competes for the kube-scheduler lease and schedules while holding it. */
    @WithDefault("true")
    boolean enabled();
}
