package io.quarkube.storage;

import static io.quarkube.storage.TestObjects.count;
import static io.quarkube.storage.TestObjects.uniqueKey;
import static io.quarkube.storage.TestObjects.widget;
import static io.quarkube.storage.TestObjects.withCount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;

@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class StorageTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int CONCURRENT_WRITERS = 12;

    @Inject
    Storage storage;
    @Inject
    PgStorage pg;

    @Inject
    Pool pool;

    @Test
    void aStartAgainstTheCurrentSchemaChangesNothingAndAnOlderSchemaIsBroughtUpToDate() {
        assertEquals(PgStorage.SCHEMA_VERSION, pg.schemaVersion().await().atMost(WAIT));
        String functionVersion = writeFunctionVersion();

        pg.createSchema();
        assertEquals(functionVersion, writeFunctionVersion(), "the write function was not replaced");

        pool.query("COMMENT ON TABLE qk_object IS 'quarkube schema of an older build'").execute().await().atMost(WAIT);
        pg.createSchema();
        assertNotEquals(functionVersion, writeFunctionVersion(), "the write function was replaced");
        assertEquals(PgStorage.SCHEMA_VERSION, pg.schemaVersion().await().atMost(WAIT));
    }

    @Inject
    WatchCache cache;

    @Test
    void anUpdateComputedFromAStaleCachedCopyIsRetriedOnTheStoredObject() {
        ObjectKey key = uniqueKey("stale-copy");
        StoredObject created = storage.create(key, widget(key, 0)).await().atMost(WAIT);

        StoredObject updated = behindTheCache(key, created, stored -> storage.guaranteedUpdate(key,
                current -> Uni.createFrom().item(withCount(current, count(current) + 1))).await().atMost(WAIT));

        assertEquals(2, count(updated), "incremented from the stored count 1, not the cached 0");
        assertEquals(2, count(storage.get(key).await().atMost(WAIT).orElseThrow()));
    }

    @Test
    void aRefusalComputedFromAStaleCachedCopyIsCheckedAgainstTheStoredObject() {
        ObjectKey key = uniqueKey("stale-refusal");
        StoredObject created = storage.create(key, widget(key, 0)).await().atMost(WAIT);

        // a precondition on the stored state: the cached copy (count 0) fails it, the stored object passes
        StoredObject updated = behindTheCache(key, created, stored -> storage.guaranteedUpdate(key, current -> count(current) == 1
                ? Uni.createFrom().item(withCount(current, 5))
                : Uni.createFrom().failure(new IllegalStateException("precondition failed on count " + count(current))))
                .await().atMost(WAIT));

        assertEquals(5, count(updated));
    }

    @Test
    void aRefusalFromTheCurrentCachedCopyStands() {
        ObjectKey key = uniqueKey("current-refusal");
        storage.create(key, widget(key, 0)).await().atMost(WAIT);

        IllegalStateException refusal = assertThrows(IllegalStateException.class, () -> storage.guaranteedUpdate(key,
                current -> Uni.createFrom().failure(new IllegalStateException("refused at count " + count(current))))
                .await().atMost(WAIT));

        assertEquals("refused at count 0", refusal.getMessage());
    }

    @Test
    void anUpdateThatChangesTheTreeItIsHandedLeavesTheCachedCopyAlone() {
        ObjectKey key = uniqueKey("own-tree");
        StoredObject created = storage.create(key, widget(key, 0)).await().atMost(WAIT);
        cache.awaitRevision(created.revision()).await().atMost(WAIT);

        // as update code that moves a subtree of the old object into the new one and then edits it
        storage.guaranteedUpdate(key, current -> {
            current.object().put("changedInPlace", true);
            return Uni.createFrom().item(current.object());
        }).await().atMost(WAIT);

        assertFalse(cache.get(key).object().has("changedInPlace"), "the cached copy was changed in place");
    }

    /**
     * Runs update while this replica's cache holds created but the database holds a later state
     * (count 1): the later write goes straight to the database while an open revision before it
     * keeps the cache from applying it (for the gap timeout, 2 s).
     */
    private StoredObject behindTheCache(ObjectKey key, StoredObject created, Function<StoredObject, StoredObject> update) {
        cache.awaitRevision(created.revision()).await().atMost(WAIT);
        SqlConnection holder = pool.getConnection().await().atMost(WAIT);
        try {
            Transaction open = holder.begin().await().atMost(WAIT);
            holder.query("SELECT nextval('qk_revision')").execute().await().atMost(WAIT);
            StoredObject stored = pg.update(key, created.revision(), created.object(), withCount(created, 1)).await().atMost(WAIT);
            assertEquals(created.revision(), cache.get(key).revision(), "the cache still holds the created copy");
            StoredObject result = update.apply(stored);
            open.rollback().await().atMost(WAIT);
            return result;
        } finally {
            holder.close().await().atMost(WAIT);
        }
    }

    /** The transaction that last wrote the catalog row of qk_create: it changes when the function is replaced. */
    private String writeFunctionVersion() {
        return pool.query("SELECT xmin::text AS version FROM pg_proc WHERE proname = 'qk_create'").execute()
                .await().atMost(WAIT).iterator().next().getString("version");
    }

    @Test
    void everyWriteGetsAHigherRevisionThanTheOneBefore() {
        ObjectKey key = uniqueKey("revisions");
        StoredObject created = storage.create(key, widget(key, 0)).await().atMost(WAIT);
        StoredObject updated = storage.guaranteedUpdate(key, current -> Uni.createFrom().item(withCount(current, 1)))
                .await().atMost(WAIT);
        StoredObject deleted = storage.guaranteedDelete(key, current -> Uni.createFrom().item(current.object())).await().atMost(WAIT);

        assertTrue(created.revision() < updated.revision(), created.revision() + " then " + updated.revision());
        assertTrue(updated.revision() < deleted.revision(), updated.revision() + " then " + deleted.revision());
        assertEquals(Long.toString(updated.revision()), updated.object().path("metadata").path("resourceVersion").asText());
        assertTrue(storage.get(key).await().atMost(WAIT).isEmpty());
    }

    @Test
    void writesConditionedOnAStaleRevisionAreRefused() {
        ObjectKey key = uniqueKey("stale");
        StoredObject created = storage.create(key, widget(key, 0)).await().atMost(WAIT);
        StoredObject updated = pg.update(key, created.revision(), created.object(), withCount(created, 1)).await().atMost(WAIT);

        Throwable staleUpdate = assertThrows(RuntimeException.class,
                () -> pg.update(key, created.revision(), created.object(), withCount(created, 2)).await().atMost(WAIT));
        Throwable staleDelete = assertThrows(RuntimeException.class,
                () -> pg.delete(key, created.revision(), null).await().atMost(WAIT));

        assertInstanceOf(RevisionChanged.class, staleUpdate);
        assertInstanceOf(RevisionChanged.class, staleDelete);
        StoredObject stored = storage.get(key).await().atMost(WAIT).orElseThrow();
        assertEquals(updated.revision(), stored.revision());
        assertEquals(1, count(stored));
    }

    @Test
    void guaranteedUpdatesFromConcurrentWritersAllLand() {
        ObjectKey key = uniqueKey("counter");
        storage.create(key, widget(key, 0)).await().atMost(WAIT);

        List<Uni<StoredObject>> increments = new ArrayList<>();
        IntStream.range(0, CONCURRENT_WRITERS).forEach(i -> increments.add(storage.guaranteedUpdate(key,
                current -> Uni.createFrom().item(withCount(current, count(current) + 1)))));
        List<StoredObject> results = Uni.join().all(increments).andFailFast().await().atMost(WAIT);

        assertEquals(CONCURRENT_WRITERS, count(storage.get(key).await().atMost(WAIT).orElseThrow()));
        assertEquals(CONCURRENT_WRITERS, results.stream().mapToLong(StoredObject::revision).distinct().count(),
                "each increment committed its own revision");
    }
}
