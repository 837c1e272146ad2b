package io.quarkube.storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.smallrye.mutiny.Uni;

/**
 * The storage interface the resource service uses: writes and consistent reads go to PostgreSQL,
 * "any" reads and watches are served by this replica's {@link WatchCache}. Every committed write
 * is announced to the local cache and, through Redis, to the other replicas.
 */
@ApplicationScoped
public class Storage {

    private static final int GUARANTEED_UPDATE_ATTEMPTS = 16;
    private static final Duration TOO_LARGE_WAIT = Duration.ofSeconds(3);
    private static final Comparator<StoredObject> BY_KEY = Comparator
            .comparing((StoredObject o) -> o.key().namespace()).thenComparing(o -> o.key().name());

    @Inject
    PgStorage pg;
    @Inject
    WatchCache cache;
    @Inject
    RevisionNotifier notifier;

    public Uni<StoredObject> create(ObjectKey key, ObjectNode object) {
        return pg.create(key, object).call(created -> announce(created, WatchEvent.Type.ADDED));
    }

    /** The current object, read from the database. */
    public Uni<Optional<StoredObject>> get(ObjectKey key) {
        return pg.get(key);
    }

    /**
     * Computes the object's replacement with tryUpdate and writes it if the object did not change
     * meanwhile; on a concurrent change, reads again and retries. tryUpdate may fail (for example
     * with a precondition conflict), which ends the update. An unchanged result writes nothing and
     * returns the stored object, as kube-apiserver does.
     * <p>
     * The first attempt starts from this replica's cached copy, as kube-apiserver's cacher hands
     * its copy to the storage layer: that saves a database read on nearly every update. A copy that
     * was behind costs a read, never a wrong answer: the write is conditional on its revision, and a
     * refusal or a no-op computed from it is confirmed against the stored object first.
     */
    public Uni<StoredObject> guaranteedUpdate(ObjectKey key, Function<StoredObject, Uni<ObjectNode>> tryUpdate) {
        boolean[] cacheTried = {false};
        Uni<StoredObject> attempt = Uni.createFrom().deferred(() -> {
            StoredObject cached = cacheTried[0] || !cache.isReady() ? null : cache.get(key);
            cacheTried[0] = true;
            // a tree of its own, as a database read would give: update code may build the new object
            // from parts of the old one and change them, and the cache's tree is what watchers see
            return cached == null
                    ? current(key).flatMap(current -> update(key, current, tryUpdate))
                    : updateFromCache(key, new StoredObject(key, cached.revision(), cached.object().deepCopy()), tryUpdate);
        });
        return retryOnRevisionChange(key, attempt);
    }

    private Uni<StoredObject> update(ObjectKey key, StoredObject current, Function<StoredObject, Uni<ObjectNode>> tryUpdate) {
        return tryUpdate.apply(current).flatMap(updated -> unchanged(current, updated)
                ? Uni.createFrom().item(current)
                : write(key, current, updated));
    }

    private Uni<StoredObject> updateFromCache(
            ObjectKey key, StoredObject cached, Function<StoredObject, Uni<ObjectNode>> tryUpdate) {
        // deferred: a tryUpdate that throws is a refusal to confirm like any other
        return Uni.createFrom().deferred(() -> tryUpdate.apply(cached)).onItemOrFailure().transformToUni((updated, failure) -> {
            if (failure != null) {
                return confirmedOrRedone(key, cached, tryUpdate, Uni.createFrom().failure(failure));
            }
            if (unchanged(cached, updated)) {
                return confirmedOrRedone(key, cached, tryUpdate, Uni.createFrom().item(cached));
            }
            return write(key, cached, updated);
        });
    }

    /** The outcome computed from the cached copy if that copy is what is stored; else the update again, on the stored object. */
    private Uni<StoredObject> confirmedOrRedone(ObjectKey key, StoredObject cached,
            Function<StoredObject, Uni<ObjectNode>> tryUpdate, Uni<StoredObject> outcome) {
        return current(key).flatMap(stored -> stored.revision() == cached.revision()
                ? outcome
                : update(key, stored, tryUpdate));
    }

    private Uni<StoredObject> write(ObjectKey key, StoredObject current, ObjectNode updated) {
        return pg.update(key, current.revision(), current.object(), updated)
                .call(written -> announce(written, WatchEvent.Type.MODIFIED));
    }

    /**
     * Deletes the object once check accepts its current state (check fails to refuse) and returns
     * the state to record as deleted; retries when the object changes between the read and the delete.
     */
    public Uni<StoredObject> guaranteedDelete(ObjectKey key, Function<StoredObject, Uni<ObjectNode>> check) {
        Uni<StoredObject> attempt = current(key).flatMap(current -> check.apply(current)
                .flatMap(finalState -> pg.delete(key, current.revision(), finalState))
                .call(deleted -> announce(deleted, WatchEvent.Type.DELETED)));
        return retryOnRevisionChange(key, attempt);
    }

    private Uni<StoredObject> current(ObjectKey key) {
        return pg.get(key).map(found -> found.orElseThrow(() -> StorageException.notFound(key)));
    }

    private static Uni<StoredObject> retryOnRevisionChange(ObjectKey key, Uni<StoredObject> attempt) {
        return attempt.onFailure(RevisionChanged.class).retry().atMost(GUARANTEED_UPDATE_ATTEMPTS)
                .onFailure(RevisionChanged.class).transform(failure -> StorageException.conflict(key,
                        "the object is being modified concurrently; please try again"));
    }

    public Uni<ListResult> list(ListRequest request) {
        if (!request.continueToken().isEmpty()) {
            ContinueToken token = ContinueToken.decode(request.continueToken());
            return retained(token.revision(), listFromDatabase(request, token.revision(), token.namespace(), token.name()))
                    .onFailure(StorageException::isExpired).transform(expired -> StorageException.continueExpired());
        }
        String version = request.resourceVersion();
        if ("0".equals(version)) {
            return Uni.createFrom().item(listFromCache(request));
        }
        if (version.isEmpty()) {
            return consistentRevision().flatMap(at -> listFromDatabase(request, at, "", ""));
        }
        long requested = parseRevision(version);
        if ("Exact".equals(request.match())) {
            return awaitCache(requested).flatMap(ignored -> retained(requested, listFromDatabase(request, requested, "", "")));
        }
        return awaitCache(requested).flatMap(ignored -> consistentRevision())
                .flatMap(at -> listFromDatabase(request, at, "", ""));
    }

    /**
     * The result of a read of the state at revision, unless compaction has dropped history that
     * state needs (410 Expired). Checked after the read, so a compaction that ran during it counts.
     */
    private Uni<ListResult> retained(long revision, Uni<ListResult> read) {
        return read.call(result -> pg.compactedRevision().invoke(compacted -> {
            if (revision < compacted) {
                throw StorageException.expired(revision, compacted);
            }
        }));
    }

    /**
     * A revision at which the database holds every committed write and no revision below it can
     * still commit: the newest committed revision, once this replica's reader has moved past any
     * gap below it.
     */
    public Uni<Long> consistentRevision() {
        return pg.committedRevision().flatMap(committed -> cache.awaitRevision(committed).replaceWith(committed));
    }

    private Uni<Long> awaitCache(long requested) {
        return cache.awaitRevision(requested).ifNoItem().after(TOO_LARGE_WAIT).failWith(() -> new StorageException(
                StorageException.Reason.TOO_LARGE_RESOURCE_VERSION, null,
                "Too large resource version: " + requested + ", current: " + cache.revision()));
    }

    private ListResult listFromCache(ListRequest request) {
        List<StoredObject> items = new ArrayList<>();
        for (StoredObject object : cache.list(request.resource(), request.namespace())) {
            if (request.selects().test(object.object())) {
                items.add(object);
            }
        }
        items.sort(BY_KEY);
        return new ListResult(items, cache.revision(), "", null);
    }

    /** Reads pages of the state at revision from the log until limit objects pass the selectors. */
    private Uni<ListResult> listFromDatabase(ListRequest request, long revision, String afterNamespace, String afterName) {
        long limit = request.limit() > 0 ? request.limit() : Long.MAX_VALUE;
        int batch = (int) Math.min(Math.max(limit + 1, 500), 5000);
        String namespace = request.namespace() == null ? "" : request.namespace();
        List<StoredObject> items = new ArrayList<>();
        return readPages(request, namespace, revision, afterNamespace, afterName, batch, limit, items)
                .map(more -> {
                    if (!more) {
                        return new ListResult(items, revision, "", null);
                    }
                    StoredObject last = items.get(items.size() - 1);
                    String token = new ContinueToken(revision, last.key().namespace(), last.key().name()).encode();
                    return new ListResult(items, revision, token, null);
                });
    }

    /** Appends matching objects to items; completes with true when more remain after limit. */
    private Uni<Boolean> readPages(ListRequest request, String namespace, long revision, String afterNamespace,
            String afterName, int batch, long limit, List<StoredObject> items) {
        return pg.listAt(request.resource(), namespace, revision, afterNamespace, afterName, batch).flatMap(page -> {
            for (StoredObject object : page) {
                if (request.selects().test(object.object())) {
                    if (items.size() == limit) {
                        return Uni.createFrom().item(true);
                    }
                    items.add(object);
                }
            }
            if (page.size() < batch) {
                return Uni.createFrom().item(false);
            }
            StoredObject last = page.get(page.size() - 1);
            return readPages(request, namespace, revision, last.key().namespace(), last.key().name(), batch, limit, items);
        });
    }

    public WatchCache cache() {
        return cache;
    }

    static long parseRevision(String version) {
        try {
            long value = Long.parseLong(version);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid resource version: " + version);
        }
    }

    /**
     * Wakes this replica's cache and, without making the writer wait for Redis, the others: a lost
     * notification only delays their next poll.
     */
    private Uni<Void> announce(StoredObject written, WatchEvent.Type type) {
        cache.onCommitted(written, type);
        notifier.publish(written.revision());
        return Uni.createFrom().voidItem();
    }

    private static boolean unchanged(StoredObject current, ObjectNode updated) {
        ObjectNode copy = updated.deepCopy();
        Json.with(copy, "metadata").put("resourceVersion", Long.toString(current.revision()));
        return copy.equals(current.object());
    }

}
