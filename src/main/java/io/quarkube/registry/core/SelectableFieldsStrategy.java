package io.quarkube.registry.core;

import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.registry.Strategy;

/** Kinds whose only rules beyond the generic ones are extra selectable fields (nodes, events). */
public record SelectableFieldsStrategy(Map<String, Function<ObjectNode, String>> selectableFields, boolean tracksGeneration)
        implements Strategy {

    public static SelectableFieldsStrategy node() {
        return new SelectableFieldsStrategy(Map.of(
                "spec.unschedulable", o -> Boolean.toString(o.path("spec").path("unschedulable").asBoolean(false))), false);
    }

    public static SelectableFieldsStrategy event() {
        return new SelectableFieldsStrategy(Map.of(
                "involvedObject.kind", o -> Json.text(o, "involvedObject", "kind"),
                "involvedObject.namespace", o -> Json.text(o, "involvedObject", "namespace"),
                "involvedObject.name", o -> Json.text(o, "involvedObject", "name"),
                "involvedObject.uid", o -> Json.text(o, "involvedObject", "uid"),
                "involvedObject.apiVersion", o -> Json.text(o, "involvedObject", "apiVersion"),
                "involvedObject.resourceVersion", o -> Json.text(o, "involvedObject", "resourceVersion"),
                "involvedObject.fieldPath", o -> Json.text(o, "involvedObject", "fieldPath"),
                "reason", o -> Json.text(o, "reason"),
                "type", o -> Json.text(o, "type"),
                "source", o -> Json.text(o, "source", "component")), false);
    }

    public static SelectableFieldsStrategy plain() {
        return new SelectableFieldsStrategy(Map.of(), false);
    }

    public static SelectableFieldsStrategy withGeneration() {
        return new SelectableFieldsStrategy(Map.of(), true);
    }
}
