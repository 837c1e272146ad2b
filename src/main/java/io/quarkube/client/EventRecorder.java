package io.quarkube.client;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.quarkube.json.Timestamps;
import io.quarkube.registry.GenericStore;
import io.smallrye.mutiny.Uni;

/**
 * Writes core/v1 Events about objects, as client-go's event recorder does for a component
 * (kubectl describe lists them by involvedObject). An event repeating one recorded in the last
 * ten minutes (same object, type, reason and message) bumps that event's count and lastTimestamp
 * instead of adding an object, as client-go's event correlator does, so a pod retried for an hour
 * shows one FailedScheduling event "x40 over 1h". Recording is best effort: a failed write is
 * logged, never failing the caller.
 */
public final class EventRecorder {

    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    private static final AtomicLong SEQUENCE = new AtomicLong(System.nanoTime());

    private static final Duration SERIES_WINDOW = Duration.ofMinutes(10);
    private static final int REMEMBERED = 4096;

    /** An event written, to count its repeats into. */
    private record Recorded(String namespace, String name, long firstNanos) {
    }

    private final ApiClient api;
    private final String component;
    private final String instance;
    /** Recent events by what makes them the same; the oldest forgotten beyond a bound. */
    private final Map<String, Recorded> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Recorded> eldest) {
            return size() > REMEMBERED;
        }
    };

    public EventRecorder(ApiClient api, String component, String instance) {
        this.api = api;
        this.component = component;
        this.instance = instance;
    }

    public Uni<Void> normal(HasMetadata object, String reason, String action, String message) {
        return record(object, "Normal", reason, action, message);
    }

    public Uni<Void> warning(HasMetadata object, String reason, String action, String message) {
        return record(object, "Warning", reason, action, message);
    }

    private Uni<Void> record(HasMetadata object, String type, String reason, String action, String message) {
        String key = String.join("\u0000", object.getKind(), object.getMetadata().getNamespace(), object.getMetadata().getName(),
                object.getMetadata().getUid(), type, reason, message);
        Recorded earlier;
        synchronized (recent) {
            earlier = recent.get(key);
            if (earlier != null && System.nanoTime() - earlier.firstNanos() > SERIES_WINDOW.toNanos()) {
                recent.remove(key);
                earlier = null;
            }
        }
        Uni<Void> write = earlier == null ? create(key, object, type, reason, action, message) : repeat(key, earlier, object, type, reason, action, message);
        return write.onFailure().invoke(failure -> LOG.warnf("recording event %s on %s failed: %s", reason,
                object.getMetadata().getName(), failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    private Uni<Void> create(String key, HasMetadata object, String type, String reason, String action, String message) {
        Event event = event(object, type, reason, action, message);
        return api.create(event).invoke(created -> {
            synchronized (recent) {
                recent.put(key, new Recorded(created.getMetadata().getNamespace(), created.getMetadata().getName(), System.nanoTime()));
            }
        }).replaceWithVoid();
    }

    /** Counts a repeat into the earlier event; writes a new one if that event is gone. */
    private Uni<Void> repeat(String key, Recorded earlier, HasMetadata object, String type, String reason, String action,
            String message) {
        String now = Timestamps.now();
        return api.modify(Event.class, earlier.namespace(), earlier.name(), GenericStore.Part.MAIN, event -> {
            event.setCount((event.getCount() == null ? 1 : event.getCount()) + 1);
            event.setLastTimestamp(now);
            return event;
        }).replaceWithVoid().onFailure(ApiClient::isNotFound).recoverWithUni(() -> {
            synchronized (recent) {
                recent.remove(key);
            }
            return create(key, object, type, reason, action, message);
        });
    }

    private static ZonedDateTime now() {
        return ZonedDateTime.now(ZoneOffset.UTC);
    }

    Event event(HasMetadata object, String type, String reason, String action, String message) {
        ZonedDateTime now = now();
        String timestamp = Timestamps.of(now.toInstant());
        String namespace = object.getMetadata().getNamespace() == null ? "default" : object.getMetadata().getNamespace();
        Event event = new Event();
        event.setMetadata(new ObjectMetaBuilder().withNamespace(namespace)
                .withName(object.getMetadata().getName() + "." + Long.toHexString(SEQUENCE.incrementAndGet())).build());
        ObjectReference involved = new ObjectReference();
        involved.setApiVersion(object.getApiVersion());
        involved.setKind(object.getKind());
        involved.setNamespace(object.getMetadata().getNamespace());
        involved.setName(object.getMetadata().getName());
        involved.setUid(object.getMetadata().getUid());
        involved.setResourceVersion(object.getMetadata().getResourceVersion());
        event.setInvolvedObject(involved);
        event.setType(type);
        event.setReason(reason);
        event.setAction(action);
        event.setMessage(message);
        event.setSource(new EventSource(component, null));
        event.setReportingComponent(component);
        event.setReportingInstance(instance);
        event.setFirstTimestamp(timestamp);
        event.setLastTimestamp(timestamp);
        event.setCount(1);
        return event;
    }
}
