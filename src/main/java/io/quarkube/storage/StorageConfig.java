package io.quarkube.storage;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "quarkube.storage")
public interface StorageConfig {

    /** How long a change-log reader waits for an open revision before it fills it. */
    @WithDefault("2s")
    Duration gapTimeout();

    /** How often each replica polls the change log, so a lost Redis notification only delays an event. */
    @WithDefault("1s")
    Duration pollInterval();

    /** Changes kept in each replica's memory for resuming watches without a database read. */
    @WithDefault("20000")
    int watchHistory();

    /**
     * Write statements a replica runs at once. Writes that arrive while this many are running go
     * to the database together, in one statement, when one finishes (group commit).
     */
    @WithDefault("4")
    int writeStatements();

    Compaction compaction();

    interface Compaction {
        /** Revisions of history kept behind the newest; older watches and lists get 410 Expired. */
        @WithDefault("100000")
        long retainedRevisions();

        /** How often a replica compacts; 0 disables. */
        @WithDefault("5m")
        Duration interval();
    }

    /** Redis channel that carries change notifications between replicas. */
    @WithDefault("quarkube:revisions")
    String notificationChannel();
}
