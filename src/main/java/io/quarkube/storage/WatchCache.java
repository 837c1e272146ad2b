package io.quarkube.storage;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * This replica's view of storage: every object in memory, the recent changes, and the open watches.
 *
 * <p>A single reader applies the change log strictly in revision order. It never skips a revision:
 * at a gap (a revision taken by a write that has not committed yet) it waits, and only after
 * {@code gapTimeout} fills the gap so that revision can never commit later. It is woken by local
 * commits, by Redis notifications from other replicas, and by a periodic poll. All state changes
 * and all deliveries to watchers happen on one Vert.x context, so watchers see events in order.
 */
@ApplicationScoped
public class WatchCache {

    private static final Logger LOG = Logger.getLogger(WatchCache.class);
    private static final int BATCH = 1000;
    /** Revisions below the start checked for writes still in flight when the cache initializes. */
    private static final int START_WINDOW = 1000;

    @Inject
    PgStorage pg;
    @Inject
    RevisionNotifier notifier;
    @Inject
    StorageConfig config;
    @Inject
    Vertx vertx;

    private Context context;
    private Executor onContext;

    private final Map<String, ConcurrentHashMap<ObjectKey, StoredObject>> objects = new ConcurrentHashMap<>();
    private final ArrayDeque<WatchEvent> history = new ArrayDeque<>();
    private final List<CacheWatcher> watchers = new ArrayList<>();
    private final TreeMap<Long, List<UniEmitter<? super Long>>> revisionWaiters = new TreeMap<>();
    /** Objects written by this replica and not yet applied, by revision. */
    private final Map<Long, WatchEvent> localWrites = new ConcurrentHashMap<>();

    private volatile long revision;
    private volatile boolean ready;
    private boolean pumping;
    private boolean pumpAgain;
    private long gapRevision = -1;
    private long gapSince;
    /** The newest revision committed when the gap was found: every open revision below it was taken before then. */
    private long gapSeenUpTo;
    private boolean closingGap;
    private long pollTimer = -1;

    /** Loads the store at a settled revision and starts following the change log. Blocking; run once at start-up. */
    public void start() {
        context = vertx.getOrCreateContext();
        onContext = task -> context.runOnContext(ignored -> task.run());
        long start = pg.committedRevision().await().indefinitely();
        settle(start);
        for (StoredObject object : pg.everythingAt(start).await().indefinitely()) {
            bucket(object.key().resource()).put(object.key(), object);
        }
        revision = start;
        notifier.subscribe(this::onCommitted);
        pollTimer = vertx.setPeriodic(config.pollInterval().toMillis(), id -> onCommitted(0));
        ready = true;
        LOG.infof("watch cache loaded at revision %d", start);
    }

    public void stop() {
        ready = false;
        if (pollTimer >= 0) {
            vertx.cancelTimer(pollTimer);
        }
        if (context != null) {
            context.runOnContext(ignored -> {
                watchers.forEach(CacheWatcher::close);
                watchers.clear();
            });
        }
    }

    /** Waits out (or fills) revisions at or below start that were taken but not yet committed. */
    private void settle(long start) {
        List<Long> missing = pg.missingRevisions(Math.max(1, start - START_WINDOW), start).await().indefinitely();
        if (missing.isEmpty()) {
            return;
        }
        long compacted = pg.compactedRevision().await().indefinitely();
        long deadline = System.nanoTime() + config.gapTimeout().toNanos();
        for (long gap : missing) {
            if (gap <= compacted) {
                continue;
            }
            while (pg.missingRevisions(gap, gap).await().indefinitely().size() == 1) {
                if (System.nanoTime() > deadline) {
                    pg.fillGaps(gap, gap).await().indefinitely();
                    break;
                }
                sleep(Duration.ofMillis(10));
            }
        }
    }

    public boolean isReady() {
        return ready;
    }

    /** Every revision up to this one has been applied. */
    public long revision() {
        return revision;
    }

    /**
     * A write of this replica committed. When it is the very next revision the cache expects, it is
     * applied at once, without reading the log; otherwise it waits, kept so that the reader need
     * not parse it again, until the log reader reaches its revision.
     */
    public void onCommitted(StoredObject written, WatchEvent.Type type) {
        long committed = written.revision();
        localWrites.put(committed, new WatchEvent(type, committed, written.key(), written.object(), null));
        if (revision >= committed) {
            localWrites.remove(committed); // the reader got there first, from the log
            return;
        }
        if (context != null) {
            context.runOnContext(ignored -> {
                while (!pumping && localWrites.containsKey(revision + 1)) {
                    WatchEvent next = localWrites.remove(revision + 1);
                    revision = next.revision();
                    applyChange(next);
                }
                completeWaiters();
                if (revision < committed) {
                    pump();
                }
            });
        }
    }

    /** A revision is known to be committed (here or on another replica): read the log. */
    public void onCommitted(long committed) {
        if (context != null && (committed == 0 || committed > revision)) {
            context.runOnContext(ignored -> pump());
        }
    }

    /** Completes once the cache has applied every revision up to target. */
    public Uni<Long> awaitRevision(long target) {
        if (revision >= target) {
            return Uni.createFrom().item(revision);
        }
        return Uni.createFrom().<Long>emitter(emitter -> context.runOnContext(ignored -> {
            if (revision >= target) {
                emitter.complete(revision);
            } else {
                revisionWaiters.computeIfAbsent(target, t -> new ArrayList<>()).add(emitter);
                pump();
            }
        }));
    }

    /** The current objects of a resource (optionally one namespace). */
    public List<StoredObject> list(String resource, String namespace) {
        Collection<StoredObject> all = bucket(resource).values();
        List<StoredObject> result = new ArrayList<>(all.size());
        for (StoredObject object : all) {
            if (namespace == null || namespace.isEmpty() || namespace.equals(object.key().namespace())) {
                result.add(object);
            }
        }
        return result;
    }

    public StoredObject get(ObjectKey key) {
        return bucket(key.resource()).get(key);
    }

    /**
     * Registers a watcher. With {@code initialEvents} it first receives an ADDED for every selected
     * object at the current revision; otherwise every change after {@code fromRevision}. Completes
     * with the revision the watch starts from, or fails with EXPIRED when that history is gone.
     */
    public Uni<Long> watch(CacheWatcher watcher, long fromRevision, boolean initialEvents) {
        if (initialEvents) {
            return onContext(() -> {
                for (StoredObject object : bucket(watcher.resource()).values()) {
                    if (watcher.selects(object)) {
                        watcher.deliver(new WatchEvent(WatchEvent.Type.ADDED, object.revision(), object.key(), object.object(), null));
                    }
                }
                return register(watcher, revision);
            });
        }
        // the compacted revision bounds watches on every replica alike, whatever this one still holds in memory
        return pg.compactedRevision().flatMap(compacted -> {
            if (fromRevision < compacted) {
                return Uni.createFrom().failure(StorageException.expired(fromRevision, compacted));
            }
            return onContext(() -> oldestInHistory() <= fromRevision + 1 || fromRevision >= revision)
                    .flatMap(inMemory -> inMemory
                            ? onContext(() -> replayHistory(watcher, fromRevision))
                            : replayFromLog(watcher, fromRevision));
        });
    }

    /** Delivers a bookmark at the current revision, in order with the watcher's events. */
    public void bookmark(CacheWatcher watcher) {
        context.runOnContext(ignored -> {
            if (watchers.contains(watcher)) {
                long at = Math.max(revision, watcher.startRevision);
                if (!watcher.deliver(new WatchEvent(WatchEvent.Type.BOOKMARK, at, null, null, null))) {
                    remove(watcher);
                }
            }
        });
    }

    public void unwatch(CacheWatcher watcher) {
        context.runOnContext(ignored -> watchers.remove(watcher));
    }

    private long replayHistory(CacheWatcher watcher, long fromRevision) {
        for (WatchEvent change : history) {
            if (change.revision() > fromRevision) {
                WatchEvent view = watcher.view(change);
                if (view != null) {
                    watcher.deliver(view);
                }
            }
        }
        return register(watcher, Math.max(fromRevision, revision));
    }

    private Uni<Long> replayFromLog(CacheWatcher watcher, long fromRevision) {
        long upTo = revision;
        // checked after the read: a compaction that committed before it would have made the rows incomplete
        return pg.resourceChanges(watcher.resource(), fromRevision, upTo)
                .call(rows -> pg.compactedRevision().invoke(compacted -> {
                    if (fromRevision < compacted) {
                        throw StorageException.expired(fromRevision, compacted);
                    }
                }))
                .flatMap(rows -> onContext(() -> {
                    if (oldestInHistory() > upTo + 1) {
                        throw StorageException.expired(fromRevision, oldestInHistory() - 1);
                    }
                    for (ChangeRow row : rows) {
                        WatchEvent view = watcher.view(toEvent(row));
                        if (view != null) {
                            watcher.deliver(view);
                        }
                    }
                    return replayHistory(watcher, upTo);
                }));
    }

    private long register(CacheWatcher watcher, long startRevision) {
        watcher.startRevision = startRevision;
        watchers.add(watcher);
        return startRevision;
    }

    private long oldestInHistory() {
        WatchEvent oldest = history.peekFirst();
        return oldest == null ? revision + 1 : oldest.revision();
    }

    private <T> Uni<T> onContext(java.util.function.Supplier<T> work) {
        return Uni.createFrom().<T>emitter(emitter -> context.runOnContext(ignored -> {
            try {
                emitter.complete(work.get());
            } catch (RuntimeException e) {
                emitter.fail(e);
            }
        }));
    }

    /** Reads the change log from the applied revision on; at most one read in flight. */
    private void pump() {
        if (pumping) {
            pumpAgain = true;
            return;
        }
        pumping = true;
        pumpAgain = false;
        pg.changesAfter(revision, BATCH).emitOn(onContext).subscribe().with(this::applyBatch, failure -> {
            pumping = false;
            LOG.warnf("reading the change log failed: %s", failure.getMessage());
            vertx.setTimer(100, id -> context.runOnContext(ignored -> pump()));
        });
    }

    private void applyBatch(List<ChangeRow> rows) {
        boolean gap = false;
        for (ChangeRow row : rows) {
            if (row.revision() != revision + 1) {
                gap = true;
                break;
            }
            apply(row);
        }
        completeWaiters();
        pumping = false;
        if (gap) {
            onGap(revision + 1, rows.get(rows.size() - 1).revision());
        } else {
            gapRevision = -1;
            if (pumpAgain || rows.size() == BATCH) {
                pump();
            }
        }
    }

    /**
     * Waits for the open revision missing; once it has been open for the gap timeout, closes it and
     * every other revision still open up to the newest one committed when it was found. Those were
     * all taken before that moment, so they have been open at least as long: the revisions of a
     * statement that failed as a whole are closed after one timeout, not one timeout each.
     */
    private void onGap(long missing, long seenUpTo) {
        long now = System.nanoTime();
        if (gapRevision != missing) {
            gapRevision = missing;
            gapSince = now;
            gapSeenUpTo = seenUpTo;
        }
        if (now - gapSince < config.gapTimeout().toNanos()) {
            retryPumpSoon();
            return;
        }
        if (closingGap) {
            return; // a read woken meanwhile found the same gap; the closing pumps again when done
        }
        closingGap = true;
        long upTo = gapSeenUpTo;
        pg.compactedRevision().emitOn(onContext).subscribe().with(compacted -> {
            if (missing <= compacted) {
                closingGap = false;
                reload(compacted);
                return;
            }
            pg.fillGaps(missing, upTo).emitOn(onContext).subscribe().with(filled -> {
                closingGap = false;
                if (filled > 0) {
                    LOG.warnf("closed %d revisions between %d and %d that were taken but not committed within %s", filled,
                            missing, upTo, config.gapTimeout());
                }
                pump();
            }, failure -> {
                closingGap = false;
                retryPumpSoon();
            });
        }, failure -> {
            closingGap = false;
            retryPumpSoon();
        });
    }

    /**
     * This replica fell so far behind that the history it needs was compacted away: reload every
     * object at the newest revision and end all watches, whose clients re-list (as after a 410).
     */
    private void reload(long compacted) {
        LOG.warnf("the watch cache at revision %d is behind the compacted revision %d; reloading", revision, compacted);
        pumping = true;
        pg.committedRevision().flatMap(at -> pg.everythingAt(at).map(all -> java.util.Map.entry(at, all)))
                .emitOn(onContext).subscribe().with(loaded -> {
                    objects.clear();
                    for (StoredObject object : loaded.getValue()) {
                        bucket(object.key().resource()).put(object.key(), object);
                    }
                    history.clear();
                    revision = loaded.getKey();
                    localWrites.keySet().removeIf(written -> written <= loaded.getKey());
                    gapRevision = -1;
                    watchers.forEach(CacheWatcher::close);
                    watchers.clear();
                    completeWaiters();
                    pumping = false;
                    pump();
                }, failure -> {
                    pumping = false;
                    retryPumpSoon();
                });
    }

    private void retryPumpSoon() {
        vertx.setTimer(5, id -> context.runOnContext(ignored -> pump()));
    }

    private void apply(ChangeRow row) {
        revision = row.revision();
        WatchEvent local = localWrites.remove(row.revision());
        if (row.isChange()) {
            applyChange(local != null ? local : toEvent(row));
        }
    }

    /** Applies one change at the cache's current revision and delivers it to the watchers. */
    private void applyChange(WatchEvent applied) {
        WatchEvent change = applied;
        ConcurrentHashMap<ObjectKey, StoredObject> bucket = bucket(change.key().resource());
        StoredObject before = bucket.get(change.key());
        if (change.type() == WatchEvent.Type.DELETED) {
            bucket.remove(change.key());
        } else {
            bucket.put(change.key(), new StoredObject(change.key(), change.revision(), change.object()));
        }
        if (before != null && change.previous() == null) {
            change = new WatchEvent(change.type(), change.revision(), change.key(), change.object(), before.object());
        }
        history.addLast(change);
        while (history.size() > config.watchHistory()) {
            history.removeFirst();
        }
        for (Iterator<CacheWatcher> it = watchers.iterator(); it.hasNext();) {
            CacheWatcher watcher = it.next();
            if (change.revision() <= watcher.startRevision) {
                continue;
            }
            WatchEvent view = watcher.view(change);
            if (view != null && !watcher.deliver(view)) {
                it.remove();
                watcher.close();
            }
        }
    }

    private void remove(CacheWatcher watcher) {
        watchers.remove(watcher);
        watcher.close();
    }

    private void completeWaiters() {
        while (!revisionWaiters.isEmpty() && revisionWaiters.firstKey() <= revision) {
            revisionWaiters.pollFirstEntry().getValue().forEach(emitter -> emitter.complete(revision));
        }
    }

    private static WatchEvent toEvent(ChangeRow row) {
        WatchEvent.Type type = WatchEvent.Type.fromCode(row.event());
        ObjectNode object = Json.parseObject(row.value());
        Json.with(object, "metadata").put("resourceVersion", Long.toString(row.revision()));
        ObjectNode previous = row.previousValue() == null ? null : Json.parseObject(row.previousValue());
        if (type == WatchEvent.Type.DELETED) {
            previous = object;
        }
        return new WatchEvent(type, row.revision(), row.key(), object, previous);
    }

    private ConcurrentHashMap<ObjectKey, StoredObject> bucket(String resource) {
        return objects.computeIfAbsent(resource, r -> new ConcurrentHashMap<>());
    }

    private static void sleep(Duration duration) {
        try {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
