package io.quarkube.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkube.registry.StatusException;

class ApiPathTest {

    static Stream<Arguments> served() {
        return Stream.of(
                argumentSet("pods in every namespace", "", "v1", "pods", "pods", "", "", ""),
                argumentSet("pods of a namespace", "", "v1", "namespaces/ns1/pods", "pods", "ns1", "", ""),
                argumentSet("one pod", "", "v1", "namespaces/ns1/pods/web", "pods", "ns1", "web", ""),
                argumentSet("pod status", "", "v1", "namespaces/ns1/pods/web/status", "pods", "ns1", "web", "status"),
                argumentSet("pod binding", "", "v1", "namespaces/ns1/pods/web/binding", "pods", "ns1", "web", "binding"),
                argumentSet("namespace list", "", "v1", "namespaces", "namespaces", "", "", ""),
                argumentSet("one namespace", "", "v1", "namespaces/ns1", "namespaces", "", "ns1", ""),
                argumentSet("namespace status", "", "v1", "namespaces/ns1/status", "namespaces", "", "ns1", "status"),
                argumentSet("namespace finalize", "", "v1", "namespaces/ns1/finalize", "namespaces", "", "ns1", "finalize"),
                argumentSet("namespace named status", "", "v1", "namespaces/status/pods", "pods", "status", "", ""),
                argumentSet("cluster-scoped node", "", "v1", "nodes/n1", "nodes", "", "n1", ""),
                argumentSet("node status", "", "v1", "nodes/n1/status", "nodes", "", "n1", "status"),
                argumentSet("deployment scale", "apps", "v1", "namespaces/ns1/deployments/web/scale", "deployments", "ns1", "web", "scale"),
                argumentSet("cluster roles", "rbac.authorization.k8s.io", "v1", "clusterroles/admin", "clusterroles", "", "admin", ""),
                argumentSet("events of events.k8s.io", "events.k8s.io", "v1", "namespaces/ns1/events", "events", "ns1", "", ""));
    }

    @ParameterizedTest
    @MethodSource("served")
    void parse(String group, String version, String path, String plural, String namespace, String name, String subresource) {
        ApiPath parsed = ApiPath.parse(group, version, List.of(path.split("/")));
        assertEquals(List.of(group, plural, namespace, name, subresource),
                List.of(parsed.type().group(), parsed.type().plural(), parsed.namespace(), parsed.name(), parsed.subresource()));
        assertEquals(name.isEmpty(), parsed.isCollection());
    }

    static Stream<Arguments> notServed() {
        return Stream.of(
                argumentSet("unknown resource", "", "v1", "widgets"),
                argumentSet("resource of another group", "", "v1", "deployments"),
                argumentSet("unknown version", "apps", "v2", "deployments"),
                argumentSet("unknown subresource", "", "v1", "namespaces/ns1/pods/web/proxy"),
                argumentSet("streaming subresource outside a namespace", "", "v1", "pods/web/log"),
                argumentSet("scale of a pod", "", "v1", "namespaces/ns1/pods/web/scale"),
                argumentSet("finalize of a pod", "", "v1", "namespaces/ns1/pods/web/finalize"),
                argumentSet("too many segments", "", "v1", "namespaces/ns1/pods/web/status/extra"),
                argumentSet("cluster-scoped resource in a namespace", "", "v1", "namespaces/ns1/nodes/n1"),
                argumentSet("namespaces in a namespace", "", "v1", "namespaces/ns1/namespaces"),
                argumentSet("unknown namespace subresource", "", "v1", "namespaces/ns1/approve/x"),
                argumentSet("nothing", "", "v1", ""));
    }

    @ParameterizedTest
    @MethodSource("notServed")
    void notFound(String group, String version, String path) {
        List<String> segments = path.isEmpty() ? List.of() : List.of(path.split("/"));
        StatusException e = assertThrows(StatusException.class, () -> ApiPath.parse(group, version, segments));
        assertEquals(List.of(404, "NotFound"), List.of(e.code(), e.reason()));
    }
}
