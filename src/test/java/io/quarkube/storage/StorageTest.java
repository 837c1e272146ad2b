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

    /** The transaction that last wrote the catalog row of qk_write: it changes when the function is replaced. */
    private String writeFunctionVersion() {
        return pool.query("SELECT xmin::text AS version FROM pg_proc WHERE proname = 'qk_write'").execute()
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

    @Test
    void concurrentWritesShareStatementsAndEachKeepsItsOwnOutcome() {
        int distinct = 120;
        int duplicates = 10;
        ObjectKey taken = uniqueKey("taken");
        List<Uni<StoredObject>> creates = new ArrayList<>();
        for (int i = 0; i < distinct + duplicates; i++) {
            ObjectKey key = i % 13 == 0 && creates.size() / 13 < duplicates ? taken : uniqueKey("batched");
            creates.add(storage.create(key, widget(key, i)).onFailure(StorageException.class).recoverWithNull());
        }
        List<StoredObject> results = Uni.join().all(creates).andFailFast().await().atMost(WAIT);

        List<StoredObject> created = results.stream().filter(java.util.Objects::nonNull).toList();
        assertEquals(distinct + 1, created.size(), "every distinct key created, the taken one once");
        assertEquals(1, created.stream().filter(o -> o.key().equals(taken)).count());
        assertEquals(created.size(), created.stream().mapToLong(StoredObject::revision).distinct().count(),
                "each write its own revision");
        long newest = created.stream().mapToLong(StoredObject::revision).max().orElseThrow();
        cache.awaitRevision(newest).await().atMost(WAIT);
        for (StoredObject object : created) {
            assertEquals(object.revision(), cache.get(object.key()).revision(), object.key() + " reached the cache");
        }
        // rows committed by one statement share its transaction
        long transactions = pool.preparedQuery("SELECT count(DISTINCT xmin::text) AS n FROM qk_log WHERE revision = ANY($1)")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(created.stream().map(StoredObject::revision).toArray(Long[]::new)))
                .await().atMost(WAIT).iterator().next().getLong("n");
        assertTrue(transactions <= created.size() / 4, created.size() + " creates committed in " + transactions + " transactions");
    }

    @Test
    void aWriteTheDatabaseRefusesFailsAloneAndTheRevisionsItsBatchTookAreClosedTogether() {
        // a key too long for the primary key's index: the statement fails after its writes took their
        // revisions (names that reach storage through the API are at most 253 characters); "~" sorts
        // it last in its batch, after the others have taken theirs
        StringBuilder tooLong = new StringBuilder("~");
        while (tooLong.length() < 20_000) {
            tooLong.append(java.util.UUID.randomUUID());
        }
        List<Uni<StoredObject>> creates = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ObjectKey key = i == 20 ? new ObjectKey(TestObjects.RESOURCE, "storage", tooLong.toString()) : uniqueKey("beside");
            creates.add(storage.create(key, widget(key, i)));
        }
        List<Throwable> failures = new ArrayList<>();
        List<StoredObject> created = new ArrayList<>();
        Uni.join().all(creates.stream().map(create -> create.onItemOrFailure().invoke((object, failure) -> {
            synchronized (failures) {
                if (failure != null) {
                    failures.add(failure);
                } else {
                    created.add(object);
                }
            }
        }).onFailure().recoverWithNull()).toList()).andFailFast().await().atMost(WAIT);

        assertEquals(1, failures.size(), "only the refused write failed: " + failures);
        assertEquals(39, created.size());
        for (StoredObject object : created) {
            assertEquals(object.revision(), storage.get(object.key()).await().atMost(WAIT).orElseThrow().revision());
        }
        // The failed batch left its revisions open. Closed one gap timeout (2 s) at a time they would
        // hold the cache back for minutes; closed together, it passes them within one.
        long newest = created.stream().mapToLong(StoredObject::revision).max().orElseThrow();
        cache.awaitRevision(newest).await().atMost(Duration.ofSeconds(8));
    }
}
