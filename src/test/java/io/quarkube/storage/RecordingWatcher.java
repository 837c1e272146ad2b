package io.quarkube.storage;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A watcher on the {@link WatchCache} that records every event it is handed, for tests to wait on. */
final class RecordingWatcher extends CacheWatcher {

    private final BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();

    RecordingWatcher(String resource) {
        super(resource, "", object -> true);
    }

    /**
     * Registers a watcher for every change of resource committed after now: after the newest
     * revision in the database, which the cache may not have applied yet.
     */
    static RecordingWatcher fromNow(WatchCache cache, PgStorage pg, String resource) {
        RecordingWatcher watcher = new RecordingWatcher(resource);
        long now = pg.committedRevision().await().atMost(Duration.ofSeconds(10));
        cache.watch(watcher, now, false).await().atMost(Duration.ofSeconds(10));
        return watcher;
    }

    @Override
    protected boolean deliver(WatchEvent event) {
        events.add(event);
        return true;
    }

    @Override
    protected void close() {
    }

    /** The next event, failing when none arrives within the timeout. */
    WatchEvent next(Duration timeout) {
        try {
            WatchEvent event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(event, "no watch event within " + timeout);
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
