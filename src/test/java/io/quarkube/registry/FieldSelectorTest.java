package io.quarkube.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;

class FieldSelectorTest {

    /** The selectable fields a pod-like kind offers, as a strategy would declare them. */
    private static final Map<String, Function<ObjectNode, String>> POD_FIELDS = Map.of(
            "spec.nodeName", o -> Json.text(o, "spec", "nodeName"),
            "status.phase", o -> Json.text(o, "status", "phase"));

    private static ObjectNode pod(String name, String node, String phase) {
        ObjectNode pod = Json.object();
        pod.putObject("metadata").put("name", name).put("namespace", "default");
        if (node != null) {
            pod.putObject("spec").put("nodeName", node);
        }
        pod.putObject("status").put("phase", phase);
        return pod;
    }

    static Stream<Arguments> cases() {
        ObjectNode bound = pod("a", "node-1", "Running");
        ObjectNode pending = pod("b", null, "Pending");
        return Stream.of(
                argumentSet("metadata.name", "metadata.name=a", bound, true),
                argumentSet("metadata.name with double equals", "metadata.name==b", bound, false),
                argumentSet("metadata.namespace", "metadata.namespace=default", pending, true),
                argumentSet("node name", "spec.nodeName=node-1", bound, true),
                argumentSet("empty node name means unscheduled", "spec.nodeName=", pending, true),
                argumentSet("scheduled pods by inequality", "spec.nodeName!=", bound, true),
                argumentSet("phase", "status.phase=Pending", bound, false),
                argumentSet("conjunction", "status.phase=Running,spec.nodeName=node-1", bound, true),
                argumentSet("empty selects everything", "", pending, true));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void selects(String selector, ObjectNode object, boolean expected) {
        assertEquals(expected, FieldSelector.parse(selector, POD_FIELDS).test(object));
    }

    @Test
    void fieldsTheKindDoesNotOfferAreRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> FieldSelector.parse("spec.image=nginx", POD_FIELDS));
        assertTrue(refused.getMessage().contains("field label not supported: spec.image"), refused.getMessage());
    }

    @Test
    void termsWithoutAnOperatorAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> FieldSelector.parse("metadata.name", POD_FIELDS));
    }
}
