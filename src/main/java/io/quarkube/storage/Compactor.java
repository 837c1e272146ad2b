package io.quarkube.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Keeps the change log bounded: every {@code compaction.interval} it compacts history older than
 * {@code compaction.retainedRevisions} behind the revision this replica's watch cache has settled
 * (no write below it can still commit). Every replica runs it; {@link PgStorage#compact} lets only
 * one of them work at a time and is idempotent.
 */
@ApplicationScoped
public class Compactor {

    private static final Logger LOG = Logger.getLogger(Compactor.class);

    @Inject
    PgStorage pg;
    @Inject
    WatchCache cache;
    @Inject
    StorageConfig config;
    @Inject
    Vertx vertx;

    private long timer = -1;

    void onStart(@Observes StartupEvent event) {
        long interval = config.compaction().interval().toMillis();
        if (interval > 0) {
            timer = vertx.setPeriodic(interval, id -> compact(config.compaction().retainedRevisions()).subscribe().with(
                    compacted -> LOG.debugf("change log compacted to revision %d", compacted),
                    failure -> LOG.warnf("compacting the change log failed: %s", failure.getMessage())));
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /**
     * Compacts the change log up to {@code retained} revisions behind the settled revision.
     * Completes with the revision compacted to, or 0 when there was nothing old enough.
     */
    public Uni<Long> compact(long retained) {
        long target = cache.revision() - retained;
        if (!cache.isReady() || target <= 0) {
            return Uni.createFrom().item(0L);
        }
        return pg.compactedRevision().flatMap(compacted -> target <= compacted
                ? Uni.createFrom().item(0L)
                : pg.compact(target).replaceWith(target));
    }
}
