package io.quarkube.storage;

import java.util.function.Predicate;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A watch registered with the {@link WatchCache}: which objects it selects and where its events
 * go. The cache calls {@link #deliver} and {@link #close} only on its own thread, in revision order.
 */
public abstract class CacheWatcher {

    private final String resource;
    private final String namespace;
    private final Predicate<ObjectNode> selects;
    long startRevision;

    protected CacheWatcher(String resource, String namespace, Predicate<ObjectNode> selects) {
        this.resource = resource;
        this.namespace = namespace == null ? "" : namespace;
        this.selects = selects;
    }

    /** Hands over one event; false when the watcher cannot keep up, which ends the watch. */
    protected abstract boolean deliver(WatchEvent event);

    /** The watch ended (its consumer was too slow, or the cache stopped). */
    protected abstract void close();

    /** Translates a change into this watcher's view: a change into or out of its selection is an ADDED or DELETED. */
    WatchEvent view(WatchEvent change) {
        if (!change.key().resource().equals(resource)
                || (!namespace.isEmpty() && !namespace.equals(change.key().namespace()))) {
            return null;
        }
        boolean now = change.object() != null && selects.test(change.object());
        boolean before = change.previous() != null && selects.test(change.previous());
        return switch (change.type()) {
            case ADDED -> now ? change : null;
            case DELETED -> now ? change : null;
            case MODIFIED -> now && before ? change
                    : now ? change.withType(WatchEvent.Type.ADDED)
                    : before ? change.withType(WatchEvent.Type.DELETED) : null;
            default -> change;
        };
    }

    boolean selects(StoredObject object) {
        return (namespace.isEmpty() || namespace.equals(object.key().namespace())) && selects.test(object.object());
    }

    String resource() {
        return resource;
    }
}
