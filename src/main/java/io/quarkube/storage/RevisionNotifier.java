package io.quarkube.storage;

import java.util.function.LongConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.smallrye.mutiny.Uni;

/**
 * Carries "revision N committed" between control-plane replicas over Redis pub/sub. A lost message
 * only delays an event: every replica also polls the change log.
 */
@ApplicationScoped
public class RevisionNotifier {

    private static final Logger LOG = Logger.getLogger(RevisionNotifier.class);

    @Inject
    ReactiveRedisDataSource redis;
    @Inject
    StorageConfig config;

    private ReactivePubSubCommands<String> pubsub;

    void subscribe(LongConsumer onRevision) {
        pubsub = redis.pubsub(String.class);
        pubsub.subscribe(config.notificationChannel(), message -> {
            try {
                onRevision.accept(Long.parseLong(message));
            } catch (NumberFormatException e) {
                LOG.warnf("ignoring malformed revision notification %s", message);
            }
        }).await().indefinitely();
    }

    /** Publishes a committed revision; a failure is logged, never returned to the writer. */
    Uni<Void> publish(long revision) {
        if (pubsub == null) {
            return Uni.createFrom().voidItem();
        }
        return pubsub.publish(config.notificationChannel(), Long.toString(revision))
                .onFailure().invoke(e -> LOG.debugf("revision notification failed: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }
}
