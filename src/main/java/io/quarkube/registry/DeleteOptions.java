package io.quarkube.registry;

import java.util.List;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A delete's options (metav1.DeleteOptions).
 *
 * @param gracePeriodSeconds null for the kind's default
 * @param propagationPolicy  "Background", "Foreground", "Orphan" or null
 * @param uid                precondition on metadata.uid, or null
 * @param resourceVersion    precondition on metadata.resourceVersion, or null
 */
public record DeleteOptions(boolean dryRun, Long gracePeriodSeconds, String propagationPolicy, String uid,
        String resourceVersion) {

    public static final DeleteOptions DEFAULT = new DeleteOptions(false, null, null, null, null);

    /**
     * Reads a DeleteOptions body (possibly empty), with query parameters of the same names as
     * fallback ({@code query} gives "" for an absent one); 400 for an unknown propagation policy.
     */
    public static DeleteOptions parse(JsonNode body, UnaryOperator<String> query) {
        JsonNode bodyDryRun = body.path("dryRun");
        boolean dryRun = query.apply("dryRun").equals("All") || (bodyDryRun.isArray() && bodyDryRun.toString().contains("All"));
        Long grace = null;
        if (body.hasNonNull("gracePeriodSeconds")) {
            grace = body.get("gracePeriodSeconds").asLong();
        } else if (!query.apply("gracePeriodSeconds").isEmpty()) {
            try {
                grace = Long.parseLong(query.apply("gracePeriodSeconds"));
            } catch (NumberFormatException e) {
                throw StatusException.badRequest("invalid number: " + query.apply("gracePeriodSeconds"));
            }
        }
        String propagation = body.hasNonNull("propagationPolicy") ? body.get("propagationPolicy").asText()
                : query.apply("propagationPolicy").isEmpty() ? null : query.apply("propagationPolicy");
        // the deprecated orphanDependents flag, still sent by older clients
        if (propagation == null && (body.path("orphanDependents").asBoolean(false) || "true".equals(query.apply("orphanDependents")))) {
            propagation = "Orphan";
        }
        if (propagation != null && !List.of("Background", "Foreground", "Orphan").contains(propagation)) {
            throw StatusException.badRequest("propagationPolicy: Unsupported value: \"" + propagation + "\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
        }
        JsonNode preconditions = body.path("preconditions");
        return new DeleteOptions(dryRun, grace, propagation, preconditions.hasNonNull("uid") ? preconditions.get("uid").asText() : null,
                preconditions.hasNonNull("resourceVersion") ? preconditions.get("resourceVersion").asText() : null);
    }

    public DeleteOptions withResourceVersion(String version) {
        return new DeleteOptions(dryRun, gracePeriodSeconds, propagationPolicy, uid, version);
    }
}
