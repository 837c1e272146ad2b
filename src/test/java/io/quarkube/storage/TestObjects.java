package io.quarkube.storage;

import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;

/** Objects of a resource only storage tests use, so the API and other tests never see them. */
final class TestObjects {

    static final String RESOURCE = "widgets.storage.test.quarkube.io";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private TestObjects() {
    }

    /** A key no other test uses. */
    static ObjectKey uniqueKey(String prefix) {
        return new ObjectKey(RESOURCE, "storage", prefix + "-" + SEQUENCE.incrementAndGet());
    }

    static ObjectNode widget(ObjectKey key, int count) {
        ObjectNode widget = Json.object().put("apiVersion", "storage.test.quarkube.io/v1").put("kind", "Widget");
        widget.putObject("metadata").put("namespace", key.namespace()).put("name", key.name())
                .putObject("annotations").put("count", Integer.toString(count));
        return widget;
    }

    static int count(StoredObject stored) {
        return Integer.parseInt(stored.object().path("metadata").path("annotations").path("count").asText());
    }

    /** A copy of stored with its counter set, as a client would send it. */
    static ObjectNode withCount(StoredObject stored, int count) {
        ObjectNode copy = stored.object().deepCopy();
        Json.with(copy, "metadata", "annotations").put("count", Integer.toString(count));
        return copy;
    }
}
