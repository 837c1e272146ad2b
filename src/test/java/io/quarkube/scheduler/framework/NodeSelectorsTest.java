package io.quarkube.scheduler.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.quarkube.scheduler.testing.TestNodes;

class NodeSelectorsTest {

    private static NodeSelectorRequirement req(String key, String operator, String... values) {
        return new NodeSelectorRequirement(key, operator, List.of(values));
    }

    private static NodeSelectorTerm labels(NodeSelectorRequirement... requirements) {
        return new NodeSelectorTerm(List.of(requirements), List.of());
    }

    static Stream<Arguments> terms() {
        return Stream.of(
                argumentSet("In matches a listed value", labels(req("zone", "In", "a", "b")), true),
                argumentSet("In misses an unlisted value", labels(req("zone", "In", "b")), false),
                argumentSet("In misses a missing label", labels(req("disk", "In", "ssd")), false),
                argumentSet("NotIn matches an unlisted value", labels(req("zone", "NotIn", "b")), true),
                argumentSet("NotIn matches a missing label", labels(req("disk", "NotIn", "ssd")), true),
                argumentSet("NotIn misses a listed value", labels(req("zone", "NotIn", "a")), false),
                argumentSet("Exists", labels(req("zone", "Exists")), true),
                argumentSet("Exists misses", labels(req("disk", "Exists")), false),
                argumentSet("DoesNotExist", labels(req("disk", "DoesNotExist")), true),
                argumentSet("DoesNotExist misses", labels(req("zone", "DoesNotExist")), false),
                argumentSet("Gt", labels(req("cores", "Gt", "7")), true),
                argumentSet("Gt is strict", labels(req("cores", "Gt", "8")), false),
                argumentSet("Lt", labels(req("cores", "Lt", "9")), true),
                argumentSet("Lt on a non-number misses", labels(req("zone", "Lt", "9")), false),
                argumentSet("expressions are ANDed", labels(req("zone", "In", "a"), req("cores", "Gt", "8")), false),
                argumentSet("matchFields metadata.name In",
                        new NodeSelectorTerm(List.of(), List.of(req("metadata.name", "In", "n1"))), true),
                argumentSet("matchFields metadata.name NotIn",
                        new NodeSelectorTerm(List.of(), List.of(req("metadata.name", "NotIn", "n1"))), false),
                argumentSet("an empty term matches nothing", new NodeSelectorTerm(List.of(), List.of()), false));
    }

    @ParameterizedTest
    @MethodSource
    void terms(NodeSelectorTerm term, boolean matches) {
        var node = TestNodes.node("n1").label("zone", "a").label("cores", "8").build();
        assertEquals(matches, NodeSelectors.matches(term, node));
    }
}
