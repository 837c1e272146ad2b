package io.quarkube.storage;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;

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
    private final AtomicLong newest = new AtomicLong();
    private final AtomicBoolean sending = new AtomicBoolean();

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

    /**
     * Announces a committed revision. Notifications coalesce: while one is in flight, later
     * revisions wait and only the newest is sent next, since a replica reads every change up to the
     * revision it is told about. A failure is logged, never returned to the writer.
     */
    void publish(long revision) {
        if (pubsub == null) {
            return;
        }
        newest.accumulateAndGet(revision, Math::max);
        if (sending.compareAndSet(false, true)) {
            sendNewest();
        }
    }

    private void sendNewest() {
        long revision = newest.get();
        pubsub.publish(config.notificationChannel(), Long.toString(revision))
                .onFailure().invoke(e -> LOG.debugf("revision notification failed: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .subscribe().with(ignored -> afterSend(revision));
    }

    private void afterSend(long sent) {
        sending.set(false);
        if (newest.get() > sent && sending.compareAndSet(false, true)) {
            sendNewest();
        }
    }
}
