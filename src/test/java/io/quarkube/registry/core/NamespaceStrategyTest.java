package io.quarkube.registry.core;

import static io.quarkube.testing.TestJson.json;
import static io.quarkube.testing.TestJson.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class NamespaceStrategyTest {

    private final NamespaceStrategy strategy = new NamespaceStrategy();

    private ObjectNode created(String namespace) {
        ObjectNode object = json(namespace);
        strategy.prepareForCreate(object);
        return object;
    }

    static Stream<Arguments> createDefaults() {
        String plain = "{'metadata':{'name':'team-a'}}";
        return Stream.of(
                argumentSet("kubernetes finalizer", plain, "/spec/finalizers", value("['kubernetes']")),
                argumentSet("client finalizers kept", "{'metadata':{'name':'team-a'},'spec':{'finalizers':['example.com/x']}}",
                        "/spec/finalizers", value("['example.com/x','kubernetes']")),
                argumentSet("kubernetes finalizer not repeated", "{'metadata':{'name':'team-a'},'spec':{'finalizers':['kubernetes']}}",
                        "/spec/finalizers", value("['kubernetes']")),
                argumentSet("phase Active", "{'metadata':{'name':'team-a'},'status':{'phase':'Terminating'}}", "/status", value("{'phase':'Active'}")),
                argumentSet("name label", plain, "/metadata/labels", value("{'kubernetes.io/metadata.name':'team-a'}")),
                argumentSet("name label overrides a client's", "{'metadata':{'name':'team-a','labels':{'kubernetes.io/metadata.name':'b','x':'y'}}}",
                        "/metadata/labels", value("{'kubernetes.io/metadata.name':'team-a','x':'y'}")));
    }

    @ParameterizedTest
    @MethodSource("createDefaults")
    void prepareForCreate(String namespace, String pointer, JsonNode expected) {
        assertEquals(expected, created(namespace).at(pointer));
    }

    @Test
    void updateKeepsTheStoredFinalizersAndRestoresTheNameLabel() {
        ObjectNode old = created("{'metadata':{'name':'team-a'}}");
        ObjectNode updated = json("{'metadata':{'name':'team-a','labels':{'x':'y'}},'spec':{'finalizers':[]}}");
        strategy.prepareForUpdate(updated, old);
        assertEquals(value("['kubernetes']"), updated.at("/spec/finalizers"));
        assertEquals(value("{'x':'y','kubernetes.io/metadata.name':'team-a'}"), updated.at("/metadata/labels"));
    }

    static Stream<Arguments> finalization() {
        return Stream.of(
                argumentSet("kubernetes finalizer pending", "{'spec':{'finalizers':['kubernetes']}}", true),
                argumentSet("finalizers emptied", "{'spec':{'finalizers':[]}}", false),
                argumentSet("no spec", "{}", false));
    }

    @ParameterizedTest
    @MethodSource("finalization")
    void awaitsFinalization(String namespace, boolean expected) {
        assertEquals(expected, strategy.awaitsFinalization(json(namespace)));
    }

    @Test
    void deletionTurnsTheNamespaceTerminating() {
        ObjectNode namespace = created("{'metadata':{'name':'team-a'}}");
        strategy.prepareForDeletion(namespace);
        assertEquals("Terminating", namespace.at("/status/phase").asText());
        assertEquals("Terminating", strategy.selectableFields().get("status.phase").apply(namespace));
    }

    static Stream<Arguments> names() {
        return Stream.of(
                argumentSet("label", "team-a", 0),
                argumentSet("dots are not allowed", "team.a", 1),
                argumentSet("upper case", "Team", 1),
                argumentSet("64 characters", "a".repeat(64), 1));
    }

    @ParameterizedTest
    @MethodSource("names")
    void namesAreDnsLabels(String name, int errors) {
        assertEquals(errors, strategy.validateName(name).size());
    }

    @Test
    void noFieldErrorsOfItsOwn() {
        assertEquals(List.of(), strategy.validate(created("{'metadata':{'name':'team-a'}}")));
    }
}
