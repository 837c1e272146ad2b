package io.quarkube.registry;

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
}
