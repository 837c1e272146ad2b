package io.quarkube.registry.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.registry.Conversion;
import io.quarkube.registry.FieldError;
import io.quarkube.registry.Validation;

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
     * kube-apiserver's rules for Events created through events.k8s.io/v1, on the stored form (so
     * with core/v1 field paths, as kube-apiserver reports them): an eventTime, a type of Normal or
     * Warning, a series of at least 2 with its lastObservedTime, none of the deprecated fields, the
     * reporting controller (a qualified name) and instance, an action and a reason within 128
     * characters, a note within 1024, and the event in its object's namespace (or default or
     * kube-system for an object without one).
     */
    @Override
    public List<FieldError> validateCreate(ObjectNode stored) {
        List<FieldError> errors = new ArrayList<>();
        if (absent(stored, "eventTime")) {
            errors.add(FieldError.required("eventTime"));
        }
        String type = text(stored, "type");
        if (!type.equals("Normal") && !type.equals("Warning")) {
            errors.add(FieldError.invalid("type", "", "has invalid value: " + type));
        }
        JsonNode series = stored.get("series");
        if (series != null && !series.isNull()) {
            if (series.path("count").asInt(0) < 2) {
                errors.add(FieldError.invalid("series.count", "", "should be at least 2"));
            }
            if (absent(series, "lastObservedTime")) {
                errors.add(FieldError.required("series.lastObservedTime"));
            }
        }
        for (String deprecated : List.of("firstTimestamp", "lastTimestamp")) {
            if (!absent(stored, deprecated)) {
                errors.add(FieldError.invalid(deprecated, "", "needs to be unset"));
            }
        }
        if (stored.path("count").asInt(0) != 0) {
            errors.add(FieldError.invalid("count", "", "needs to be unset"));
        }
        if (!text(stored.path("source"), "component").isEmpty() || !text(stored.path("source"), "host").isEmpty()) {
            errors.add(FieldError.invalid("source", "", "needs to be unset"));
        }
        String namespace = text(stored.path("metadata"), "namespace");
        String objectNamespace = text(stored.path("involvedObject"), "namespace");
        if (objectNamespace.isEmpty() && !namespace.equals("default") && !namespace.equals("kube-system")) {
            errors.add(FieldError.invalid("involvedObject.namespace", objectNamespace, "does not match event.namespace"));
        }
        String controller = text(stored, "reportingComponent");
        if (controller.isEmpty()) {
            errors.add(FieldError.required("reportingController"));
        } else {
            Validation.qualifiedName("reportingController", controller).forEach(errors::add);
        }
        requiredWithin(stored, "reportingInstance", "reportingInstance", 128, errors);
        requiredWithin(stored, "action", "action", 128, errors);
        requiredWithin(stored, "reason", "reason", 128, errors);
        if (text(stored, "message").length() > 1024) {
            errors.add(FieldError.invalid("message", "", "can have at most 1024 characters"));
        }
        return errors;
    }

    private static void requiredWithin(ObjectNode stored, String field, String path, int limit, List<FieldError> errors) {
        String value = text(stored, field);
        if (value.isEmpty()) {
            errors.add(FieldError.required(path));
        } else if (value.length() > limit) {
            errors.add(FieldError.invalid(path, "", "can have at most " + limit + " characters"));
        }
    }

    private static boolean absent(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isEmpty();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.asText();
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
