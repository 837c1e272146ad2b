package io.quarkube.api.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkube.registry.ResourceCatalog;

class ProtobufKindsTest {

    static Stream<Arguments> servedKinds() {
        Stream<Arguments> catalog = ResourceCatalog.all().stream()
                .map(t -> Arguments.argumentSet(t.apiVersion() + " " + t.kind(), t.apiVersion(), t.kind()));
        return Stream.concat(catalog, Stream.of(
                Arguments.argumentSet("authorization.k8s.io/v1 SelfSubjectAccessReview",
                        "authorization.k8s.io/v1", "SelfSubjectAccessReview"),
                Arguments.argumentSet("authentication.k8s.io/v1 TokenRequest",
                        "authentication.k8s.io/v1", "TokenRequest"),
                Arguments.argumentSet("autoscaling/v1 Scale", "autoscaling/v1", "Scale"),
                Arguments.argumentSet("policy/v1 Eviction", "policy/v1", "Eviction"),
                Arguments.argumentSet("policy/v1beta1 Eviction", "policy/v1beta1", "Eviction")));
    }

    static Stream<Arguments> deleteOptions() {
        return Stream.of(
                Arguments.argumentSet("core client's DeleteOptions", "v1"),
                Arguments.argumentSet("apps client's DeleteOptions", "apps/v1"),
                Arguments.argumentSet("policy client's DeleteOptions", "policy/v1"));
    }

    @ParameterizedTest
    @MethodSource("deleteOptions")
    void findsDeleteOptionsInEveryGroupVersion(String apiVersion) {
        assertEquals("k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions",
                ProtobufKinds.find(apiVersion, "DeleteOptions").orElseThrow().getFullName());
    }

    @ParameterizedTest
    @MethodSource("servedKinds")
    void findsTheMessageOfEveryServedKind(String apiVersion, String kind) {
        assertEquals(kind, ProtobufKinds.find(apiVersion, kind).orElseThrow().getName());
    }

    @Test
    void refusesMessagesThatAreNotObjects() {
        assertTrue(ProtobufKinds.find("v1", "PodSpec").isEmpty());
        assertTrue(ProtobufKinds.find("v1", "PodList").isEmpty());
    }
}
