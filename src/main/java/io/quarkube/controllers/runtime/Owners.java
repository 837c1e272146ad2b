package io.quarkube.controllers.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;

/** The controller reference of an object (its ownerReference with {@code controller: true}), as controllers read it. */
public final class Owners {

    private Owners() {
    }

    /** The controlling owner, or null for an orphan. */
    public static OwnerReference controllerOf(ObjectMeta metadata) {
        if (metadata == null || metadata.getOwnerReferences() == null) {
            return null;
        }
        return metadata.getOwnerReferences().stream().filter(reference -> Boolean.TRUE.equals(reference.getController()))
                .findFirst().orElse(null);
    }

    public static OwnerReference controllerOf(HasMetadata object) {
        return controllerOf(object.getMetadata());
    }

    /** True when the object's controller is the owner with this uid. */
    public static boolean isControlledBy(ObjectMeta metadata, String ownerUid) {
        OwnerReference controller = controllerOf(metadata);
        return controller != null && ownerUid.equals(controller.getUid());
    }
}
