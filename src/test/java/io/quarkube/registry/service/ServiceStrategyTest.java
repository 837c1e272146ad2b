package io.quarkube.registry.service;

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

class ServiceStrategyTest {

    private final ServiceStrategy strategy = new ServiceStrategy();

    private static ObjectNode service(String spec) {
        return json("{'apiVersion':'v1','kind':'Service','metadata':{'name':'web'},'spec':" + spec + "}");
    }

    private ObjectNode created(String spec) {
        ObjectNode service = service(spec);
        strategy.prepareForCreate(service);
        return service;
    }

    static Stream<Arguments> createDefaults() {
        String clusterIp = "{'ports':[{'port':80}]}";
        String nodePort = "{'type':'NodePort','ports':[{'port':80}]}";
        return Stream.of(
                argumentSet("type", clusterIp, "/spec/type", value("'ClusterIP'")),
                argumentSet("session affinity", clusterIp, "/spec/sessionAffinity", value("'None'")),
                argumentSet("cluster IP left to the allocator", clusterIp, "/spec/clusterIP", value("null")),
                argumentSet("IP families", clusterIp, "/spec/ipFamilies", value("['IPv4']")),
                argumentSet("cluster IP taken from cluster IPs", "{'clusterIPs':['10.96.9.9'],'ports':[{'port':80}]}",
                        "/spec/clusterIP", value("'10.96.9.9'")),
                argumentSet("headless without selector requires dual stack", "{'clusterIP':'None'}",
                        "/spec/ipFamilyPolicy", value("'RequireDualStack'")),
                argumentSet("headless with selector is single stack", "{'clusterIP':'None','selector':{'app':'web'}}",
                        "/spec/ipFamilyPolicy", value("'SingleStack'")),
                argumentSet("LoadBalancer allocates node ports by default", "{'type':'LoadBalancer','ports':[{'port':80}]}",
                        "/spec/allocateLoadBalancerNodePorts", value("true")),
                argumentSet("IP family policy", clusterIp, "/spec/ipFamilyPolicy", value("'SingleStack'")),
                argumentSet("internal traffic policy", clusterIp, "/spec/internalTrafficPolicy", value("'Cluster'")),
                argumentSet("port protocol and target port", clusterIp, "/spec/ports/0", value("{'port':80,'protocol':'TCP','targetPort':80}")),
                argumentSet("named target port kept", "{'ports':[{'port':80,'targetPort':'http'}]}", "/spec/ports/0/targetPort", value("'http'")),
                argumentSet("no node port for ClusterIP", clusterIp, "/spec/ports/0/nodePort", value("null")),
                argumentSet("status", clusterIp, "/status", value("{'loadBalancer':{}}")),
                argumentSet("given cluster IP kept", "{'clusterIP':'10.96.9.9','ports':[{'port':80}]}", "/spec/clusterIPs", value("['10.96.9.9']")),
                argumentSet("node port left to the allocator", nodePort, "/spec/ports/0/nodePort", value("null")),
                argumentSet("external traffic policy for NodePort", nodePort, "/spec/externalTrafficPolicy", value("'Cluster'")),
                argumentSet("given node port kept", "{'type':'NodePort','ports':[{'port':80,'nodePort':31234}]}",
                        "/spec/ports/0/nodePort", value("31234")),
                argumentSet("headless keeps None", "{'clusterIP':'None'}", "/spec/clusterIPs", value("['None']")),
                argumentSet("ExternalName gets no cluster IP", "{'type':'ExternalName','externalName':'db.example.com'}",
                        "/spec/clusterIP", value("null")));
    }

    @ParameterizedTest
    @MethodSource("createDefaults")
    void prepareForCreate(String spec, String pointer, JsonNode expected) {
        JsonNode actual = created(spec).at(pointer);
        assertEquals(expected, actual.isMissingNode() ? value("null") : actual);
    }

    static Stream<Arguments> validations() {
        return Stream.of(
                argumentSet("valid", "{'ports':[{'port':80}]}", List.of()),
                argumentSet("unknown type", "{'type':'Magic','ports':[{'port':80}]}", List.of("FieldValueNotSupported spec.type")),
                argumentSet("no ports", "{}", List.of("FieldValueRequired spec.ports")),
                argumentSet("headless without ports", "{'clusterIP':'None'}", List.of()),
                argumentSet("ExternalName without ports", "{'type':'ExternalName','externalName':'x.example.com'}", List.of()),
                argumentSet("port zero", "{'ports':[{'port':0}]}", List.of("FieldValueInvalid spec.ports[0].port")),
                argumentSet("port too high", "{'ports':[{'port':65536}]}", List.of("FieldValueInvalid spec.ports[0].port")),
                argumentSet("several ports need names", "{'ports':[{'name':'a','port':80},{'port':81}]}",
                        List.of("FieldValueRequired spec.ports[1].name")),
                argumentSet("cluster IP not an address", "{'clusterIP':'web','ports':[{'port':80}]}",
                        List.of("FieldValueInvalid spec.clusterIPs[0]")),
                argumentSet("cluster IPs disagree", "{'clusterIP':'10.96.0.5','clusterIPs':['10.96.0.6'],'ports':[{'port':80}]}",
                        List.of("FieldValueInvalid spec.clusterIPs[0]")),
                argumentSet("node port on a ClusterIP service", "{'ports':[{'port':80,'nodePort':30080}]}",
                        List.of("FieldValueForbidden spec.ports[0].nodePort")),
                argumentSet("ExternalName with a cluster IP", "{'type':'ExternalName','externalName':'x.example.com','clusterIP':'10.96.0.5'}",
                        List.of("FieldValueForbidden spec.clusterIPs")),
                argumentSet("ExternalName without a name", "{'type':'ExternalName'}", List.of("FieldValueRequired spec.externalName")),
                argumentSet("headless NodePort", "{'type':'NodePort','clusterIP':'None','ports':[{'port':80}]}",
                        List.of("FieldValueInvalid spec.clusterIPs[0]")));
    }

    @ParameterizedTest
    @MethodSource("validations")
    void validate(String spec, List<String> expected) {
        assertEquals(expected, strategy.validate(service(spec)).stream().map(e -> e.reason() + " " + e.field()).toList());
    }

    static Stream<Arguments> updates() {
        String old = "{'type':'NodePort','clusterIP':'10.96.0.1','ports':[{'name':'http','port':80,'nodePort':30000},"
                + "{'name':'dns','port':53,'protocol':'UDP','nodePort':30001}]}";
        return Stream.of(
                argumentSet("omitted cluster IP kept", old, "{'type':'NodePort','ports':[{'name':'http','port':80}]}",
                        "/spec/clusterIP", value("'10.96.0.1'"), List.of()),
                argumentSet("omitted cluster IPs kept", old, "{'type':'NodePort','ports':[{'name':'http','port':80}]}",
                        "/spec/clusterIPs", value("['10.96.0.1']"), List.of()),
                argumentSet("omitted node port kept", old, "{'type':'NodePort','ports':[{'name':'http','port':80}]}",
                        "/spec/ports/0/nodePort", value("30000"), List.of()),
                argumentSet("node port kept per port and protocol", old,
                        "{'type':'NodePort','ports':[{'name':'dns','port':53,'protocol':'UDP'},{'name':'http','port':80}]}",
                        "/spec/ports/0/nodePort", value("30001"), List.of()),
                argumentSet("new port left to the allocator", old,
                        "{'type':'NodePort','ports':[{'name':'http','port':80},{'name':'https','port':443}]}",
                        "/spec/ports/1/nodePort", value("null"), List.of()),
                argumentSet("turning into ClusterIP drops unchanged node ports", old,
                        "{'type':'ClusterIP','ports':[{'name':'http','port':80,'nodePort':30000}]}",
                        "/spec/ports/0/nodePort", value("null"), List.of()),
                argumentSet("turning into ClusterIP drops the external traffic policy", old,
                        "{'type':'ClusterIP','ports':[{'name':'http','port':80}]}",
                        "/spec/externalTrafficPolicy", value("null"), List.of()),
                argumentSet("turning into ExternalName drops the cluster IP", old,
                        "{'type':'ExternalName','externalName':'db.example.com','clusterIP':'10.96.0.1'}",
                        "/spec/clusterIP", value("null"), List.of()),
                argumentSet("turning into ExternalName drops the cluster IPs", old,
                        "{'type':'ExternalName','externalName':'db.example.com'}",
                        "/spec/clusterIPs", value("null"), List.of()),
                argumentSet("turning from ExternalName into ClusterIP may take a cluster IP",
                        "{'type':'ExternalName','externalName':'db.example.com'}",
                        "{'clusterIP':'10.96.3.3','ports':[{'port':80}]}", "/spec/clusterIPs", value("['10.96.3.3']"), List.of()),
                argumentSet("cluster IP changed", old, "{'type':'NodePort','clusterIP':'10.96.7.7','ports':[{'name':'http','port':80}]}",
                        "/spec/clusterIP", value("'10.96.7.7'"), List.of("FieldValueInvalid spec.clusterIPs[0]")),
                argumentSet("cluster IP made None", "{'clusterIP':'10.96.0.1','ports':[{'port':80}]}", "{'clusterIP':'None','ports':[{'port':80}]}",
                        "/spec/clusterIP", value("'None'"), List.of("FieldValueInvalid spec.clusterIPs[0]")));
    }

    @ParameterizedTest
    @MethodSource("updates")
    void update(String oldSpec, String newSpec, String pointer, JsonNode expected, List<String> errors) {
        ObjectNode old = created(oldSpec);
        ObjectNode updated = service(newSpec);
        strategy.prepareForUpdate(updated, old);
        JsonNode actual = updated.at(pointer);
        assertEquals(expected, actual.isMissingNode() ? value("null") : actual);
        assertEquals(errors, strategy.validateUpdate(updated, old).stream().map(e -> e.reason() + " " + e.field()).toList());
    }

    @Test
    void namesAreDnsLabels() {
        assertEquals(List.of(), strategy.validateName("web-1"));
        assertEquals("FieldValueInvalid", strategy.validateName("web.example").get(0).reason());
    }
}
