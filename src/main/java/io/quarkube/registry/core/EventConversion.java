package io.quarkube.registry.core;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.registry.Conversion;

/**
 * events.k8s.io/v1 Events as views of the stored core/v1 Events, with kube-apiserver's field
 * mapping: regarding is involvedObject, note is message, reportingController is
 * reportingComponent, and the deprecated* fields are the core Event's source, firstTimestamp,
 * lastTimestamp and count. Fields both versions share (reason, type, action, eventTime, series,
 * related, reportingInstance) are copied as they are.
 */
public final class EventConversion implements Conversion {

    public static final String EVENTS_API_VERSION = "events.k8s.io/v1";

    /** One field of both versions. */
    private record Field(String served, String stored) {
    }

    /** Every field of an events.k8s.io/v1 Event, in its order, with the core/v1 field it is stored as. */
    private static final List<Field> FIELDS = List.of(
            new Field("metadata", "metadata"),
            new Field("eventTime", "eventTime"),
            new Field("series", "series"),
            new Field("reportingController", "reportingComponent"),
            new Field("reportingInstance", "reportingInstance"),
            new Field("action", "action"),
            new Field("reason", "reason"),
            new Field("regarding", "involvedObject"),
            new Field("related", "related"),
            new Field("note", "message"),
            new Field("type", "type"),
            new Field("deprecatedSource", "source"),
            new Field("deprecatedFirstTimestamp", "firstTimestamp"),
            new Field("deprecatedLastTimestamp", "lastTimestamp"),
            new Field("deprecatedCount", "count"));

    @Override
    public ObjectNode toServed(ObjectNode stored) {
        ObjectNode served = Json.object().put("apiVersion", EVENTS_API_VERSION).put("kind", "Event");
        for (Field field : FIELDS) {
            JsonNode value = stored.get(field.stored());
            if (value != null) {
                served.set(field.served(), value.deepCopy());
            } else if (field.served().equals("regarding")) {
                // kube-apiserver always writes these two (Go fields without omitempty)
                served.putObject("regarding");
            } else if (field.served().equals("eventTime")) {
                served.putNull("eventTime");
            }
        }
        return served;
    }

    @Override
    public ObjectNode toStored(ObjectNode served) {
        ObjectNode stored = Json.object().put("apiVersion", "v1").put("kind", "Event");
        for (Field field : FIELDS) {
            JsonNode value = served.get(field.served());
            if (value != null) {
                stored.set(field.stored(), value.deepCopy());
            } else if (field.stored().equals("involvedObject")) {
                stored.putObject("involvedObject");
            }
        }
        return stored;
    }

    /**
     * The events.k8s.io/v1 field labels as kube-apiserver converts them (regarding.* for
     * involvedObject.*, reportingController for reportingComponent), plus the labels both share.
     */
    @Override
    public Map<String, Function<ObjectNode, String>> selectableFields() {
        return Map.ofEntries(
                Map.entry("regarding.kind", o -> Json.text(o, "involvedObject", "kind")),
                Map.entry("regarding.namespace", o -> Json.text(o, "involvedObject", "namespace")),
                Map.entry("regarding.name", o -> Json.text(o, "involvedObject", "name")),
                Map.entry("regarding.uid", o -> Json.text(o, "involvedObject", "uid")),
                Map.entry("regarding.apiVersion", o -> Json.text(o, "involvedObject", "apiVersion")),
                Map.entry("regarding.resourceVersion", o -> Json.text(o, "involvedObject", "resourceVersion")),
                Map.entry("regarding.fieldPath", o -> Json.text(o, "involvedObject", "fieldPath")),
                Map.entry("reason", o -> Json.text(o, "reason")),
                Map.entry("reportingController", o -> Json.text(o, "reportingComponent")),
                Map.entry("type", o -> Json.text(o, "type")));
    }
}
