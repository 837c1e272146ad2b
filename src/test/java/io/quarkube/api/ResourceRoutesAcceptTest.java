package io.quarkube.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkube.registry.StatusException;

/** Content negotiation of the resource routes: what the Accept header may ask for. */
class ResourceRoutesAcceptTest {

    static Stream<Arguments> acceptable() {
        return Stream.of(
                Arguments.argumentSet("no Accept header", (Object) null),
                Arguments.argumentSet("anything", "*/*"),
                Arguments.argumentSet("JSON", "application/json"),
                Arguments.argumentSet("YAML", "application/yaml"),
                Arguments.argumentSet("kubectl get's Table request",
                        "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"),
                Arguments.argumentSet("protobuf first, JSON accepted", "application/vnd.kubernetes.protobuf,application/json"));
    }

    @ParameterizedTest
    @MethodSource
    void acceptable(String accept) {
        assertDoesNotThrow(() -> ResourceRoutes.checkAcceptable(accept));
    }

    static Stream<Arguments> notAcceptable() {
        return Stream.of(
                Arguments.argumentSet("protobuf only", "application/vnd.kubernetes.protobuf"),
                Arguments.argumentSet("HTML", "text/html"));
    }

    @ParameterizedTest
    @MethodSource
    void notAcceptable(String accept) {
        StatusException refused = assertThrows(StatusException.class, () -> ResourceRoutes.checkAcceptable(accept));
        assertEquals(406, refused.code());
        assertEquals("NotAcceptable", refused.reason());
    }
}
