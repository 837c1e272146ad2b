package io.quarkube.controllers.endpoints;

import static io.quarkube.controllers.endpoints.TestBackends.pod;
import static io.quarkube.controllers.endpoints.TestBackends.ready;
import static io.quarkube.controllers.endpoints.TestBackends.service;
import static io.quarkube.controllers.endpoints.TestBackends.web;
import static io.quarkube.testing.TestJson.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.quarkube.json.Json;

class EndpointSubsetsTest {

    private static final String REF_A = "'targetRef':{'kind':'Pod','namespace':'ns','name':'a','uid':'a-uid'}";
    private static final String REF_B = "'targetRef':{'kind':'Pod','namespace':'ns','name':'b','uid':'b-uid'}";

    static Stream<Arguments> subsets() {
        Pod deleting = pod("b", "10.0.0.2", true, 8080).editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata().build();
        return Stream.of(
                argumentSet("no pods, no subsets", web(), List.of(), "[]"),
                argumentSet("ready and not ready share a subset with their ports", web(),
                        List.of(ready("a", "10.0.0.1"), pod("b", "10.0.0.2", false, 8080).build()),
                        "[{'addresses':[{'ip':'10.0.0.1','nodeName':'node-a'," + REF_A + "}],"
                                + "'notReadyAddresses':[{'ip':'10.0.0.2','nodeName':'node-a'," + REF_B + "}],"
                                + "'ports':[{'name':'http','port':8080,'protocol':'TCP'}]}]"),
                argumentSet("a named port resolving differently splits the subsets", web(),
                        List.of(ready("a", "10.0.0.1"), pod("b", "10.0.0.2", true, 9090).build()),
                        "[{'addresses':[{'ip':'10.0.0.1','nodeName':'node-a'," + REF_A + "}],'ports':[{'name':'http','port':8080,'protocol':'TCP'}]},"
                                + "{'addresses':[{'ip':'10.0.0.2','nodeName':'node-a'," + REF_B + "}],'ports':[{'name':'http','port':9090,'protocol':'TCP'}]}]"),
                argumentSet("a pod without the named port is left out", web(),
                        List.of(pod("a", "10.0.0.1", true, 8080).editSpec().editFirstContainer().withPorts(List.of()).endContainer().endSpec().build()),
                        "[]"),
                argumentSet("a pod without an IP is left out", web(), List.of(pod("a", null, true, 8080).build()), "[]"),
                argumentSet("a finished pod is left out", web(),
                        List.of(pod("a", "10.0.0.1", true, 8080).editStatus().withPhase("Succeeded").endStatus().build()), "[]"),
                argumentSet("a terminating pod is left out", web(), List.of(ready("a", "10.0.0.1"), deleting),
                        "[{'addresses':[{'ip':'10.0.0.1','nodeName':'node-a'," + REF_A + "}],'ports':[{'name':'http','port':8080,'protocol':'TCP'}]}]"),
                argumentSet("publishNotReadyAddresses lists not-ready pods as ready",
                        service().editSpec().withPublishNotReadyAddresses(true).endSpec().build(),
                        List.of(pod("a", "10.0.0.1", false, 8080).build()),
                        "[{'addresses':[{'ip':'10.0.0.1','nodeName':'node-a'," + REF_A + "}],'ports':[{'name':'http','port':8080,'protocol':'TCP'}]}]"),
                argumentSet("a numeric target port is taken as it is",
                        service().editSpec().editFirstPort().withNewTargetPort(7000).endPort().endSpec().build(),
                        List.of(ready("a", "10.0.0.1")),
                        "[{'addresses':[{'ip':'10.0.0.1','nodeName':'node-a'," + REF_A + "}],'ports':[{'name':'http','port':7000,'protocol':'TCP'}]}]"),
                argumentSet("a headless Service without ports lists addresses only",
                        service().editSpec().withClusterIP("None").withPorts(List.of()).endSpec().build(),
                        List.of(ready("a", "10.0.0.1")),
                        "[{'addresses':[{'ip':'10.0.0.1','nodeName':'node-a'," + REF_A + "}]}]"),
                argumentSet("a host name when the pod's subdomain is the Service", web(),
                        List.of(pod("a", "10.0.0.1", true, 8080).editSpec().withHostname("a").withSubdomain("web").endSpec().build()),
                        "[{'addresses':[{'ip':'10.0.0.1','hostname':'a','nodeName':'node-a'," + REF_A + "}],"
                                + "'ports':[{'name':'http','port':8080,'protocol':'TCP'}]}]"));
    }

    @ParameterizedTest
    @MethodSource("subsets")
    void of(Service service, List<Pod> pods, String expected) {
        JsonNode actual = Json.MAPPER.valueToTree(EndpointSubsets.of(service, pods));
        assertEquals(value(expected), actual);
    }
}
