package io.quarkube.api.patch;

import com.fasterxml.jackson.databind.JsonNode;

/** Applies the patch formats of Kubernetes PATCH requests to stored objects, as pure functions on JSON trees. */
public final class Patches {

    private Patches() {
    }

    /**
     * Applies patch to original (the stored object as JSON) and returns the patched object; original is not
     * modified. modelClass is the Fabric8 class of the kind (e.g. io.fabric8.kubernetes.api.model.Pod); strategic
     * merge patch reads its list merge keys from it.
     *
     * @throws PatchException when the patch is malformed or does not apply; {@link PatchException#status()} is the
     *         HTTP status to answer
     */
    public static JsonNode apply(PatchType type, JsonNode original, JsonNode patch, Class<?> modelClass) {
        return switch (type) {
            case JSON_PATCH -> JsonPatchApplier.apply(original, patch);
            case MERGE_PATCH -> MergePatchApplier.apply(original, patch);
            case STRATEGIC_MERGE_PATCH -> StrategicMergePatchApplier.apply(original, patch, modelClass);
            case APPLY_PATCH -> throw new PatchException(PatchException.UNSUPPORTED_MEDIA_TYPE,
                    "415 Unsupported Media Type: server-side apply (" + type.mediaType() + ") is not supported;"
                            + " accepted media types include: " + PatchType.JSON_PATCH.mediaType() + ", "
                            + PatchType.MERGE_PATCH.mediaType() + ", " + PatchType.STRATEGIC_MERGE_PATCH.mediaType());
        };
    }
}
