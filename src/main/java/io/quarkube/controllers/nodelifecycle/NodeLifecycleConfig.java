package io.quarkube.controllers.nodelifecycle;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The node lifecycle controller's settings, as kube-controller-manager's --node-monitor-* flags. */
@ConfigMapping(prefix = "quarkube.node-lifecycle")
public interface NodeLifecycleConfig {

    /** Whether this replica competes for the kube-controller-manager lease and runs the controller while holding it. */
    @WithDefault("true")
    boolean enabled();

    /** How long a node's lease may go unrenewed before the node is considered unreachable. */
    @WithDefault("40s")
    Duration nodeMonitorGracePeriod();
}
