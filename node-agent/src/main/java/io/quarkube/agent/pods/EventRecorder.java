package io.quarkube.agent.pods;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Writes core/v1 Events about pods the way the kubelet does (source kubelet, reportingInstance the node). */
public final class EventRecorder {

    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    private static final AtomicLong SEQUENCE = new AtomicLong(System.nanoTime());

    private final KubernetesClient client;
    private final String nodeName;
    private final Executor executor;
    private final Clock clock;

    public EventRecorder(KubernetesClient client, String nodeName, Executor executor, Clock clock) {
        this.client = client;
        this.nodeName = nodeName;
        this.executor = executor;
        this.clock = clock;
    }

    /** Records an event about a container of the pod (fieldPath spec.containers{NAME}), or the pod itself when container is null. */
    public void record(Pod pod, String container, boolean init, String type, String reason, String message) {
        Event event = event(pod, container, init, type, reason, message);
        executor.execute(() -> {
            try {
                client.v1().events().inNamespace(pod.getMetadata().getNamespace()).resource(event).create();
            } catch (KubernetesClientException e) {
                LOG.debugf("cannot record event %s for pod %s: %s", reason, pod.getMetadata().getName(), e.getMessage());
            }
        });
    }

    Event event(Pod pod, String container, boolean init, String type, String reason, String message) {
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        EventBuilder event = new EventBuilder()
                .withNewMetadata()
                .withName(pod.getMetadata().getName() + "." + Long.toHexString(SEQUENCE.incrementAndGet()))
                .withNamespace(pod.getMetadata().getNamespace())
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion("v1").withKind("Pod")
                .withNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid())
                .withResourceVersion(pod.getMetadata().getResourceVersion())
                .withFieldPath(container == null ? null : (init ? "spec.initContainers{" : "spec.containers{") + container + "}")
                .endInvolvedObject()
                .withType(type).withReason(reason).withMessage(message)
                .withNewSource().withComponent("kubelet").withHost(nodeName).endSource()
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withReportingComponent("kubelet").withReportingInstance(nodeName);
        return event.build();
    }
}
