package io.quarkube.client;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;

/**
 * core/v1 Events about objects, as client-go's event recorder writes them for controllers
 * (what {@code kubectl describe} and {@code kubectl get events} show). Recording is fire and
 * forget: an event that cannot be written is logged, never a reason to fail a reconcile.
 */
@ApplicationScoped
public class EventRecorder {

    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    private static final AtomicLong SEQUENCE = new AtomicLong(System.nanoTime());

    @Inject
    ApiClient api;

    public void normal(HasMetadata object, String component, String reason, String message) {
        record(object, component, "Normal", reason, message);
    }

    public void warning(HasMetadata object, String component, String reason, String message) {
        record(object, component, "Warning", reason, message);
    }

    private void record(HasMetadata object, String component, String type, String reason, String message) {
        String namespace = object.getMetadata().getNamespace() == null ? "default" : object.getMetadata().getNamespace();
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Event event = new Event();
        ObjectMeta metadata = new ObjectMeta();
        // client-go names events after the object and a unique hexadecimal suffix
        metadata.setName(object.getMetadata().getName() + "." + Long.toHexString(SEQUENCE.incrementAndGet()).toLowerCase(Locale.ROOT));
        metadata.setNamespace(namespace);
        event.setMetadata(metadata);
        ObjectReference involved = new ObjectReference();
        involved.setApiVersion(object.getApiVersion());
        involved.setKind(object.getKind());
        involved.setName(object.getMetadata().getName());
        involved.setNamespace(object.getMetadata().getNamespace());
        involved.setUid(object.getMetadata().getUid());
        involved.setResourceVersion(object.getMetadata().getResourceVersion());
        event.setInvolvedObject(involved);
        event.setType(type);
        event.setReason(reason);
        event.setMessage(message);
        event.setSource(new EventSource(component, null));
        event.setReportingComponent(component);
        event.setFirstTimestamp(now);
        event.setLastTimestamp(now);
        event.setCount(1);
        api.create(event).subscribe().with(created -> {
        }, failure -> LOG.debugf("event %s on %s/%s not recorded: %s", reason, namespace, object.getMetadata().getName(),
                failure.getMessage()));
    }
}
