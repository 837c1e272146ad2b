package io.quarkube.api;

import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.api.table.IncludeObject;
import io.quarkube.api.table.TableConvertor;
import io.quarkube.json.Json;
import io.quarkube.registry.ResourceType;
import io.quarkube.storage.CacheWatcher;
import io.quarkube.storage.WatchEvent;
import io.vertx.core.buffer.Buffer;

/**
 * One watch: {@code {"type":..., "object":...}} events written to its {@link WatchTransport}. A
 * client that stops reading is cut off once its write queue stays full, so it never holds back
 * the cache or other watchers.
 */
final class WatchStream extends CacheWatcher {

    /** Events written while the client's queue is full before the watch is closed. */
    private static final int SLOW_CLIENT_BUDGET = 1000;

    private final WatchTransport transport;
    private final ResourceType type;
    private final UnaryOperator<ObjectNode> toServed;
    private final IncludeObject tableInclude;
    private boolean headerSent;
    private int overBudget;
    private volatile boolean closed;

    /**
     * A watch of type's objects, kept by storage under storageResource; toServed turns a stored
     * object into type's form (the identity unless type is a converted view of another resource).
     * selects tests the stored form.
     */
    WatchStream(WatchTransport transport, ResourceType type, String storageResource, UnaryOperator<ObjectNode> toServed,
            String namespace, Predicate<ObjectNode> selects, IncludeObject tableInclude) {
        super(storageResource, namespace, selects);
        this.transport = transport;
        this.type = type;
        this.toServed = toServed;
        this.tableInclude = tableInclude;
    }

    @Override
    protected boolean deliver(WatchEvent event) {
        if (closed) {
            return false;
        }
        ObjectNode object = switch (event.type()) {
            case BOOKMARK -> bookmark(event.revision(), false);
            default -> toServed.apply(event.object());
        };
        return write(event.type().name(), object);
    }

    /** The bookmark that ends the initial events of a {@code sendInitialEvents} watch. */
    boolean initialEventsEnd(long revision) {
        return write("BOOKMARK", bookmark(revision, true));
    }

    boolean write(String eventType, ObjectNode object) {
        if (closed) {
            return false;
        }
        ObjectNode shown = object;
        if (tableInclude != null && !eventType.equals("BOOKMARK") && !eventType.equals("ERROR")) {
            shown = TableConvertor.toTable(type, List.of(object), tableInclude, Instant.now(), null, null);
            if (headerSent) {
                shown.putArray("columnDefinitions");
            }
            headerSent = true;
        }
        byte[] encoded = shown == object ? EncodedEvents.encode(eventType, object) : encode(eventType, shown);
        if (transport.queueFull()) {
            if (++overBudget > SLOW_CLIENT_BUDGET) {
                close();
                return false;
            }
        } else {
            overBudget = 0;
        }
        transport.send(Buffer.buffer(encoded));
        return true;
    }

    static byte[] encode(String eventType, ObjectNode object) {
        ObjectNode line = Json.object().put("type", eventType);
        line.set("object", object);
        return Json.bytes(line);
    }

    /**
     * The encoding of the event the watch cache is delivering right now, shared by every watcher
     * that sees it the same way: the cache delivers one change to all its watchers in a row on one
     * thread, so one remembered encoding per thread saves encoding it once per watcher.
     */
    private static final class EncodedEvents {
        private static final ThreadLocal<EncodedEvents> LAST = ThreadLocal.withInitial(EncodedEvents::new);

        private ObjectNode object;
        private String type;
        private byte[] bytes;

        static byte[] encode(String eventType, ObjectNode object) {
            EncodedEvents last = LAST.get();
            if (last.object != object || !last.type.equals(eventType)) {
                last.bytes = WatchStream.encode(eventType, object);
                last.object = object;
                last.type = eventType;
            }
            return last.bytes;
        }
    }

    private ObjectNode bookmark(long revision, boolean initialEventsEnd) {
        ObjectNode object = Json.object().put("kind", type.kind()).put("apiVersion", type.apiVersion());
        ObjectNode metadata = object.putObject("metadata").put("resourceVersion", Long.toString(revision));
        if (initialEventsEnd) {
            metadata.putObject("annotations").put("k8s.io/initial-events-end", "true");
        }
        return object;
    }

    @Override
    protected void close() {
        if (!closed) {
            closed = true;
            transport.end();
        }
    }
}
