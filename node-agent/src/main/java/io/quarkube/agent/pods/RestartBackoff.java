package io.quarkube.agent.pods;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kubelet's per-container back-off (client-go flowcontrol.Backoff): the first failure is
 * retried at once; each later one waits, from the moment of the failure, twice as long as the
 * previous wait, from the initial delay up to the maximum. An entry untouched for twice the
 * maximum starts over.
 */
public final class RestartBackoff {

    private record Entry(Duration delay, Instant lastUpdate) {
    }

    private final Duration initial;
    private final Duration max;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public RestartBackoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
    }

    /** How long is still to wait after a failure at failedAt; zero when the retry may happen now. */
    public Duration remaining(String key, Instant failedAt, Instant now) {
        Entry entry = entries.get(key);
        if (entry == null || expired(entry, failedAt)) {
            return Duration.ZERO;
        }
        Duration waited = Duration.between(failedAt, now);
        return waited.compareTo(entry.delay()) >= 0 ? Duration.ZERO : entry.delay().minus(waited);
    }

    /** The current delay of key (what a waiting message reports), or the initial one. */
    public Duration delay(String key) {
        Entry entry = entries.get(key);
        return entry == null ? initial : entry.delay();
    }

    /** Records a retry now: the next failure waits twice as long as the last (initial the first time). */
    public void next(String key, Instant now) {
        entries.compute(key, (k, entry) -> {
            if (entry == null || expired(entry, now)) {
                return new Entry(initial, now);
            }
            Duration doubled = entry.delay().multipliedBy(2);
            return new Entry(doubled.compareTo(max) > 0 ? max : doubled, now);
        });
    }

    public void forgetPrefix(String prefix) {
        entries.keySet().removeIf(key -> key.startsWith(prefix));
    }

    private boolean expired(Entry entry, Instant eventTime) {
        return Duration.between(entry.lastUpdate(), eventTime).compareTo(max.multipliedBy(2)) > 0;
    }
}
