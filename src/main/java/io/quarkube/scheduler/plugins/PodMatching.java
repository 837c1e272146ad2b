package io.quarkube.scheduler.plugins;

import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.quarkube.scheduler.framework.LabelSelectors;

/** Shared by the spreading and affinity plugins: which existing pods a selector counts. */
public final class PodMatching {

    private PodMatching() {
    }

    /** A pod of the namespace, not being deleted, whose labels the selector matches. */
    public static boolean counts(Pod existing, String namespace, LabelSelector selector) {
        return Objects.equals(existing.getMetadata().getNamespace(), namespace)
                && existing.getMetadata().getDeletionTimestamp() == null
                && LabelSelectors.matches(selector, existing.getMetadata().getLabels());
    }

    public static Map<String, String> labels(Pod pod) {
        return pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    }
}
