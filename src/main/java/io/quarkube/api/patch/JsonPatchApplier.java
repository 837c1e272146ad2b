package io.quarkube.api.patch;

import java.util.EnumSet;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.zjsonpatch.CompatibilityFlags;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;

/** RFC 6902 JSON patch, applied by zjsonpatch with kube-apiserver's strictness and limits. */
final class JsonPatchApplier {

    /** kube-apiserver refuses JSON patches with more operations than this (413). */
    static final int MAX_OPERATIONS = 10_000;

    /** Removing a key that does not exist fails, as it does in kube-apiserver. */
    private static final EnumSet<CompatibilityFlags> FLAGS = EnumSet.of(CompatibilityFlags.FORBID_REMOVE_MISSING_OBJECT);

    private JsonPatchApplier() {
    }

    static JsonNode apply(JsonNode original, JsonNode patch) {
        checkWellFormed(patch);
        try {
            return JsonPatch.apply(patch, original, FLAGS);
        } catch (JsonPatchException e) {
            throw new PatchException(e.getMessage());
        }
    }

    /** The decode-time checks kube-apiserver answers with 400: a JSON array of operation objects. */
    private static void checkWellFormed(JsonNode patch) {
        if (patch == null || !patch.isArray()) {
            throw PatchException.badRequest("json: cannot unmarshal " + JsonValues.describe(patch)
                    + " into Go value of type jsonpatch.Patch");
        }
        if (patch.size() > MAX_OPERATIONS) {
            throw new PatchException(PatchException.REQUEST_ENTITY_TOO_LARGE, "The allowed maximum operations in a JSON patch is "
                    + MAX_OPERATIONS + ", got " + patch.size());
        }
        for (JsonNode operation : patch) {
            if (!operation.isObject()) {
                throw PatchException.badRequest("json: cannot unmarshal " + JsonValues.describe(operation)
                        + " into Go value of type jsonpatch.Operation");
            }
        }
    }
}
