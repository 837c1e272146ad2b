package io.quarkube.controllers.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** What a reconciler is asked to look at: a namespace ("" when cluster-scoped) and a name. */
public record ObjectRef(String namespace, String name) {

    public ObjectRef {
        namespace = namespace == null ? "" : namespace;
    }

    public static ObjectRef of(HasMetadata object) {
        return new ObjectRef(object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    @Override
    public String toString() {
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }
}
