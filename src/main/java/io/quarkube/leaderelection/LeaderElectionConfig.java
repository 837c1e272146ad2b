package io.quarkube.leaderelection;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Timings of leader election, as kube-controller-manager's --leader-elect-* flags. */
@ConfigMapping(prefix = "quarkube.leader-election")
public interface LeaderElectionConfig {

    /** How long a lease holds after its last renewal before another replica may take it. */
    @WithDefault("15s")
    Duration leaseDuration();

    /** How long a leader keeps acting without a successful renewal before it steps down. */
    @WithDefault("10s")
    Duration renewDeadline();

    /** How often to try to acquire or renew. */
    @WithDefault("2s")
    Duration retryPeriod();

    /** This replica's name in leases; by default the host name and a random suffix. */
    Optional<String> identity();
}
