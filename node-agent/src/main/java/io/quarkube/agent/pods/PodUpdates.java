package io.quarkube.agent.pods;

import java.util.Objects;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * Which changes of a pod object need its worker, as the kubelet's pod config tells a sync-worthy update
 * from a status-only one: the spec, the labels and annotations (downward API), and the deletion fields.
 * Pure.
 */
public final class PodUpdates {

    private PodUpdates() {
    }

    /**
     * Whether {@code now} differs from {@code before} in anything a sync acts on. An informer resync (the same
     * resourceVersion) counts as a change, so periodic resyncs still reach the worker.
     */
    public static boolean needsSync(Pod before, Pod now) {
        ObjectMeta a = before.getMetadata();
        ObjectMeta b = now.getMetadata();
        return Objects.equals(a.getResourceVersion(), b.getResourceVersion())
                || !Objects.equals(a.getUid(), b.getUid())
                || !Objects.equals(before.getSpec(), now.getSpec())
                || !Objects.equals(a.getLabels(), b.getLabels())
                || !Objects.equals(a.getAnnotations(), b.getAnnotations())
                || !Objects.equals(a.getDeletionTimestamp(), b.getDeletionTimestamp())
                || !Objects.equals(a.getDeletionGracePeriodSeconds(), b.getDeletionGracePeriodSeconds());
    }
}
