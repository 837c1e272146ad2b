package io.quarkube.registry.core;

import static io.quarkube.testing.TestJson.json;
import static io.quarkube.testing.TestJson.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class SecretStrategyTest {

    private final SecretStrategy strategy = new SecretStrategy();

    private static ObjectNode secret(String fields) {
        return json("{'apiVersion':'v1','kind':'Secret','metadata':{'name':'s'}" + (fields.isEmpty() ? "" : "," + fields) + "}");
    }

    static Stream<Arguments> createDefaults() {
        return Stream.of(
                argumentSet("type Opaque", "", "/type", value("'Opaque'")),
                argumentSet("given type kept", "'type':'kubernetes.io/tls'", "/type", value("'kubernetes.io/tls'")),
                argumentSet("stringData folded into data", "'stringData':{'user':'admin'}", "/data", value("{'user':'YWRtaW4='}")),
                argumentSet("stringData removed", "'stringData':{'user':'admin'}", "/stringData", value("null")),
                argumentSet("stringData wins over data", "'data':{'user':'cm9vdA==','pass':'eA=='},'stringData':{'user':'admin'}",
                        "/data", value("{'user':'YWRtaW4=','pass':'eA=='}")),
                argumentSet("stringData in UTF-8", "'stringData':{'k':'é'}", "/data/k", value("'w6k='")));
    }

    @ParameterizedTest
    @MethodSource("createDefaults")
    void prepareForCreate(String fields, String pointer, JsonNode expected) {
        ObjectNode secret = secret(fields);
        strategy.prepareForCreate(secret);
        JsonNode actual = secret.at(pointer);
        assertEquals(expected, actual.isMissingNode() ? value("null") : actual);
    }

    static Stream<Arguments> validations() {
        return Stream.of(
                argumentSet("valid", "'data':{'tls.crt':'eA==','a_b-c':''}", List.of()),
                argumentSet("bad base64", "'data':{'k':'not base64!'}", List.of("FieldValueInvalid data[k]")),
                argumentSet("bad key", "'data':{'a/b':'eA=='}", List.of("FieldValueInvalid data[a/b]")));
    }

    @ParameterizedTest
    @MethodSource("validations")
    void validate(String fields, List<String> expected) {
        assertEquals(expected, strategy.validate(secret(fields)).stream().map(e -> e.reason() + " " + e.field()).toList());
    }

    static Stream<Arguments> updates() {
        return Stream.of(
                argumentSet("data changed", "'data':{'k':'eA=='}", "'data':{'k':'eQ=='}", List.of()),
                argumentSet("type omitted keeps Opaque", "'data':{'k':'eA=='}", "'data':{'k':'eA=='}", List.of()),
                argumentSet("type changed", "'data':{'k':'eA=='}", "'type':'kubernetes.io/tls','data':{'k':'eA=='}",
                        List.of("FieldValueInvalid type")),
                argumentSet("immutable secret unchanged", "'immutable':true,'data':{'k':'eA=='}", "'immutable':true,'data':{'k':'eA=='}", List.of()),
                argumentSet("immutable secret data changed", "'immutable':true,'data':{'k':'eA=='}", "'immutable':true,'data':{'k':'eQ=='}",
                        List.of("FieldValueForbidden data")),
                argumentSet("immutable secret stringData changed", "'immutable':true,'data':{'k':'eA=='}",
                        "'immutable':true,'stringData':{'k':'y'}", List.of("FieldValueForbidden data")),
                argumentSet("immutable flag cleared", "'immutable':true,'data':{'k':'eA=='}", "'immutable':false,'data':{'k':'eA=='}",
                        List.of("FieldValueForbidden immutable")),
                argumentSet("made immutable", "'data':{'k':'eA=='}", "'immutable':true,'data':{'k':'eA=='}", List.of()));
    }

    @ParameterizedTest
    @MethodSource("updates")
    void validateUpdate(String oldFields, String newFields, List<String> expected) {
        ObjectNode old = secret(oldFields);
        strategy.prepareForCreate(old);
        ObjectNode updated = secret(newFields);
        strategy.prepareForUpdate(updated, old);
        assertEquals(expected, strategy.validateUpdate(updated, old).stream().map(e -> e.reason() + " " + e.field()).toList());
    }
}
