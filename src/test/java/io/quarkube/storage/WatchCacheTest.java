package io.quarkube.storage;

import static io.quarkube.storage.TestObjects.count;
import static io.quarkube.storage.TestObjects.uniqueKey;
import static io.quarkube.storage.TestObjects.widget;
import static io.quarkube.storage.TestObjects.withCount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/**
 * The change-log reader against real PostgreSQL: revisions taken by transactions that have not
 * committed hold it back until they are filled, filled revisions can never commit, and the poll
 * delivers changes nobody announced.
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class WatchCacheTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Storage storage;
    @Inject
    PgStorage pg;
    @Inject
    WatchCache cache;
    @Inject
    Pool pool;

    @Test
    void anOpenRevisionHoldsBackLaterOnesUntilItIsFilledAndCanThenNeverCommit() {
        RecordingWatcher watcher = RecordingWatcher.fromNow(cache, pg, TestObjects.RESOURCE);
        SqlConnection holder = pool.getConnection().await().atMost(WAIT);
        try {
            Transaction transaction = holder.begin().await().atMost(WAIT);
            long open = holder.query("SELECT nextval('qk_revision') AS r").execute().await().atMost(WAIT)
                    .iterator().next().getLong("r");

            ObjectKey key = uniqueKey("after-gap");
            StoredObject later = storage.create(key, widget(key, 0)).await().atMost(WAIT);
            long applied = cache.revision();
            boolean filled = logRow(open) != null;

            assertTrue(later.revision() > open);
            assertTrue(filled || applied < open, "the cache applied revision " + applied + " past the open revision " + open);
            cache.awaitRevision(later.revision()).await().atMost(WAIT);
            Row fill = logRow(open);
            assertEquals("", fill.getString("resource"), "the open revision was closed as an empty change");
            WatchEvent event = watcher.next(WAIT);
            assertEquals(later.revision(), event.revision());
            assertEquals(key, event.key());

            Throwable commit = assertThrows(RuntimeException.class, () -> holder.preparedQuery(
                    "INSERT INTO qk_log (revision, resource, namespace, name, event) VALUES ($1, 'late', '', 'late', 0)")
                    .execute(Tuple.of(open)).await().atMost(WAIT));
            assertEquals("23505", assertInstanceOf(PgException.class, commit).getSqlState());
            transaction.rollback().await().atMost(WAIT);
        } finally {
            holder.close().await().atMost(WAIT);
            cache.unwatch(watcher);
        }
    }

    @Test
    void aWriteWhoseRevisionWasFilledIsRetriedWithANewRevision() throws Exception {
        ObjectKey key = uniqueKey("stolen");
        StoredObject created = storage.create(key, widget(key, 0)).await().atMost(WAIT);
        RecordingWatcher watcher = RecordingWatcher.fromNow(cache, pg, TestObjects.RESOURCE);
        SqlConnection locker = pool.getConnection().await().atMost(WAIT);
        try {
            // holding the object's row lock stops the update after it has taken its revision
            Transaction lock = locker.begin().await().atMost(WAIT);
            locker.preparedQuery("SELECT 1 FROM qk_object WHERE resource = $1 AND namespace = $2 AND name = $3 FOR UPDATE")
                    .execute(Tuple.of(key.resource(), key.namespace(), key.name())).await().atMost(WAIT);
            long before = lastTakenRevision();
            CompletableFuture<StoredObject> update = pg.update(key, created.revision(), created.object(), withCount(created, 1))
                    .subscribeAsCompletionStage();
            awaitTrue(() -> lastTakenRevision() > before, "the update to take its revision");
            long stolen = lastTakenRevision();

            ObjectKey otherKey = uniqueKey("behind-stolen");
            StoredObject other = storage.create(otherKey, widget(otherKey, 0)).await().atMost(WAIT);
            cache.awaitRevision(other.revision()).await().atMost(WAIT);
            assertEquals("", logRow(stolen).getString("resource"), "the reader filled the update's revision");
            lock.commit().await().atMost(WAIT);
            StoredObject updated = update.get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertTrue(updated.revision() > other.revision(), "retried at " + updated.revision());
            StoredObject stored = storage.get(key).await().atMost(WAIT).orElseThrow();
            assertEquals(updated.revision(), stored.revision());
            assertEquals(1, count(stored));
            assertEquals(other.revision(), watcher.next(WAIT).revision());
            WatchEvent modified = watcher.next(WAIT);
            assertEquals(WatchEvent.Type.MODIFIED, modified.type());
            assertEquals(updated.revision(), modified.revision());
        } finally {
            locker.close().await().atMost(WAIT);
            cache.unwatch(watcher);
        }
    }

    @Test
    void aChangeNobodyAnnouncedArrivesThroughThePoll() {
        RecordingWatcher watcher = RecordingWatcher.fromNow(cache, pg, TestObjects.RESOURCE);
        try {
            ObjectKey key = uniqueKey("unannounced");
            // PgStorage writes without telling this cache or Redis, as when a notification is lost
            StoredObject created = pg.create(key, widget(key, 0)).await().atMost(WAIT);

            WatchEvent event = watcher.next(WAIT);
            assertEquals(WatchEvent.Type.ADDED, event.type());
            assertEquals(created.revision(), event.revision());
            assertEquals(key, event.key());
        } finally {
            cache.unwatch(watcher);
        }
    }

    private Row logRow(long revision) {
        var rows = pool.preparedQuery("SELECT resource, event FROM qk_log WHERE revision = $1").execute(Tuple.of(revision))
                .await().atMost(WAIT);
        return rows.size() == 0 ? null : rows.iterator().next();
    }

    /** The last revision any session took from the sequence (sequences are not transactional). */
    private long lastTakenRevision() {
        return pool.query("SELECT last_value FROM qk_revision").execute().await().atMost(WAIT).iterator().next().getLong(0);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }
}
