package io.quarkube.registry.pod;

import static io.quarkube.testing.TestJson.json;
import static io.quarkube.testing.TestJson.value;
import static io.quarkube.testing.TestPods.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.registry.FieldError;

class PodSpecDefaultsTest {

    private static final String DIGEST = "sha256:" + "a".repeat(64);

    static Stream<Arguments> defaults() {
        ObjectNode plain = pod("p").container("c", "nginx:1.25").buildSpec();
        return Stream.of(
                argumentSet("restartPolicy", plain, "/restartPolicy", value("'Always'")),
                argumentSet("dnsPolicy", plain, "/dnsPolicy", value("'ClusterFirst'")),
                argumentSet("schedulerName", plain, "/schedulerName", value("'default-scheduler'")),
                argumentSet("terminationGracePeriodSeconds", plain, "/terminationGracePeriodSeconds", value("30")),
                argumentSet("securityContext", plain, "/securityContext", value("{}")),
                argumentSet("container resources", plain, "/containers/0/resources", value("{}")),
                argumentSet("terminationMessagePath", plain, "/containers/0/terminationMessagePath", value("'/dev/termination-log'")),
                argumentSet("terminationMessagePolicy", plain, "/containers/0/terminationMessagePolicy", value("'File'")),
                argumentSet("given restartPolicy kept", pod("p").container("c", "x:1").spec("restartPolicy", "Never").buildSpec(),
                        "/restartPolicy", value("'Never'")),
                argumentSet("init containers defaulted too", pod("p").initContainer("i", "busybox").container("c", "x:1").buildSpec(),
                        "/initContainers/0/imagePullPolicy", value("'Always'")),
                argumentSet("port protocol", pod("p").container("c", "x:1").port(80).buildSpec(),
                        "/containers/0/ports/0", value("{'containerPort':80,'protocol':'TCP'}")),
                argumentSet("given port protocol kept",
                        pod("p").container("c", "x:1").containerField("ports", value("[{'containerPort':53,'protocol':'UDP'}]")).buildSpec(),
                        "/containers/0/ports/0/protocol", value("'UDP'")),
                argumentSet("exec probe",
                        pod("p").container("c", "x:1").containerField("livenessProbe", value("{'exec':{'command':['true']}}")).buildSpec(),
                        "/containers/0/livenessProbe",
                        value("{'exec':{'command':['true']},'timeoutSeconds':1,'periodSeconds':10,'successThreshold':1,'failureThreshold':3}")),
                argumentSet("http probe path and scheme",
                        pod("p").container("c", "x:1").containerField("readinessProbe", value("{'httpGet':{'port':8080}}")).buildSpec(),
                        "/containers/0/readinessProbe/httpGet", value("{'port':8080,'path':'/','scheme':'HTTP'}")),
                argumentSet("given probe period kept",
                        pod("p").container("c", "x:1").containerField("startupProbe", value("{'tcpSocket':{'port':1},'periodSeconds':2}")).buildSpec(),
                        "/containers/0/startupProbe/periodSeconds", value("2")),
                argumentSet("volume without source is an emptyDir",
                        pod("p").container("c", "x:1").spec("volumes", value("[{'name':'scratch'}]")).buildSpec(),
                        "/volumes/0", value("{'name':'scratch','emptyDir':{}}")),
                argumentSet("configMap volume mode",
                        pod("p").container("c", "x:1").spec("volumes", value("[{'name':'v','configMap':{'name':'cm'}}]")).buildSpec(),
                        "/volumes/0/configMap/defaultMode", value("420")),
                argumentSet("secret volume mode kept",
                        pod("p").container("c", "x:1").spec("volumes", value("[{'name':'v','secret':{'secretName':'s','defaultMode':256}}]")).buildSpec(),
                        "/volumes/0/secret/defaultMode", value("256")),
                argumentSet("hostPath volume left alone",
                        pod("p").container("c", "x:1").spec("volumes", value("[{'name':'v','hostPath':{'path':'/tmp'}}]")).buildSpec(),
                        "/volumes/0", value("{'name':'v','hostPath':{'path':'/tmp'}}")));
    }

    @ParameterizedTest
    @MethodSource("defaults")
    void defaults(ObjectNode spec, String pointer, JsonNode expected) {
        PodSpecDefaults.apply(spec);
        assertEquals(expected, spec.at(pointer));
    }

    static Stream<Arguments> imagePullPolicies() {
        return Stream.of(
                argumentSet("no tag", "nginx", "Always"),
                argumentSet("latest", "nginx:latest", "Always"),
                argumentSet("version tag", "nginx:1.25", "IfNotPresent"),
                argumentSet("registry port without tag", "registry:5000/img", "Always"),
                argumentSet("registry port with tag", "registry:5000/img:2", "IfNotPresent"),
                argumentSet("registry port with latest", "registry:5000/team/img:latest", "Always"),
                argumentSet("digest", "nginx@" + DIGEST, "IfNotPresent"),
                argumentSet("tag and digest", "nginx:1.25@" + DIGEST, "IfNotPresent"),
                argumentSet("latest with a digest", "nginx:latest@" + DIGEST, "Always"),
                argumentSet("registry port and digest", "registry:5000/img@" + DIGEST, "IfNotPresent"));
    }

    @ParameterizedTest
    @MethodSource("imagePullPolicies")
    void imagePullPolicy(String image, String expected) {
        ObjectNode spec = pod("p").container("c", image).buildSpec();
        PodSpecDefaults.apply(spec);
        assertEquals(expected, spec.at("/containers/0/imagePullPolicy").asText());
    }

    static Stream<Arguments> validations() {
        return Stream.of(
                argumentSet("valid", pod("p").container("c", "nginx").buildSpec(), List.of()),
                argumentSet("no containers", json("{}"), List.of("FieldValueRequired spec.containers")),
                argumentSet("empty containers", json("{'containers':[]}"), List.of("FieldValueRequired spec.containers")),
                argumentSet("missing image", pod("p").container("c", null).buildSpec(), List.of("FieldValueRequired spec.containers[0].image")),
                argumentSet("blank image", pod("p").container("c", " ").buildSpec(), List.of("FieldValueRequired spec.containers[0].image")),
                argumentSet("missing name", pod("p").container(null, "x").buildSpec(), List.of("FieldValueRequired spec.containers[0].name")),
                argumentSet("name not a DNS label", pod("p").container("Web_1", "x").buildSpec(), List.of("FieldValueInvalid spec.containers[0].name")),
                argumentSet("duplicate container names", pod("p").container("c", "x").container("c", "y").buildSpec(),
                        List.of("FieldValueDuplicate spec.containers[1].name")),
                argumentSet("init container sharing a container's name", pod("p").initContainer("c", "x").container("c", "y").buildSpec(),
                        List.of("FieldValueDuplicate spec.containers[0].name")),
                argumentSet("bad restartPolicy", pod("p").container("c", "x").spec("restartPolicy", "Sometimes").buildSpec(),
                        List.of("FieldValueNotSupported spec.restartPolicy")));
    }

    @ParameterizedTest
    @MethodSource("validations")
    void validate(ObjectNode spec, List<String> expected) {
        List<FieldError> errors = PodSpecDefaults.validate("spec", spec);
        assertEquals(expected, errors.stream().map(e -> e.reason() + " " + e.field()).toList());
    }
}
