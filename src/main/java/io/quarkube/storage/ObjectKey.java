package io.quarkube.storage;

/**
 * Identifies one stored object: its resource ("pods", "deployments.apps"), namespace ("" for
 * cluster-scoped kinds) and name.
 */
public record ObjectKey(String resource, String namespace, String name) {

    /** "namespace/name" or "name", as kube keys objects in caches and continue tokens. */
    public String namespacedName() {
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }

    @Override
    public String toString() {
        return resource + "/" + namespacedName();
    }
}
