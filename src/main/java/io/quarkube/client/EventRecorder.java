package io.quarkube.client;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.smallrye.mutiny.Uni;

/**
 * Writes core/v1 Events about objects, as client-go's event recorder does for a component
 * (kubectl describe lists them by involvedObject). Recording is best effort: a failed write is
 * logged, never failing the caller.
 */
public final class EventRecorder {

    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    private static final AtomicLong SEQUENCE = new AtomicLong(System.nanoTime());

    private final ApiClient api;
    private final String component;
    private final String instance;

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
        return api.create(event(object, type, reason, action, message)).replaceWithVoid()
                .onFailure().invoke(failure -> LOG.warnf("recording event %s on %s failed: %s", reason,
                        object.getMetadata().getName(), failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    Event event(HasMetadata object, String type, String reason, String action, String message) {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        String timestamp = now.truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_INSTANT);
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
