package io.quarkube.registry.service;

import static io.quarkube.testing.TestCluster.admin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Cluster IPs and node ports through the API: assigned on create, honoured or refused when asked
 * for, given back on delete, on type changes and when a write fails. Requested values come from the
 * ranges' static bands (10.96.0.2-255, 30000-30085), which dynamic allocation leaves alone, each
 * test its own.
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class ServiceAllocationsTest {

    private static String ns;
    private static String services;

    @BeforeAll
    static void namespace() {
        ns = Manifests.namespace("svc-alloc");
        services = "/api/v1/namespaces/" + ns + "/services";
    }

    private static String service(String name, String spec) {
        return """
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"%s"},"spec":%s}""".formatted(name, spec);
    }

    private static Response create(String name, String spec) {
        return admin().contentType(ContentType.JSON).body(service(name, spec)).post(services);
    }

    private static Response patch(String name, String patch) {
        return admin().contentType("application/merge-patch+json").body(patch).patch(services + "/" + name);
    }

    private static int ipAddressStatus(String ip) {
        return admin().get("/apis/networking.k8s.io/v1/ipaddresses/" + ip).statusCode();
    }

    @Test
    void aClusterIpIsAssignedFromTheRangeAndRecordedAsAnIpAddress() {
        String ip = create("plain", "{\"selector\":{\"app\":\"web\"},\"ports\":[{\"port\":80}]}").then().statusCode(201)
                .body("spec.clusterIP", matchesPattern("10\\.(9[6-9]|10[0-9]|11[01])\\.\\d+\\.\\d+"))
                .body("spec.ipFamilies", equalTo(List.of("IPv4")))
                .body("spec.ipFamilyPolicy", equalTo("SingleStack"))
                .extract().path("spec.clusterIP");
        admin().get(services + "/plain").then().body("spec.clusterIPs", equalTo(List.of(ip)));
        admin().get("/apis/networking.k8s.io/v1/ipaddresses/" + ip).then().statusCode(200)
                .body("spec.parentRef.resource", equalTo("services"))
                .body("spec.parentRef.namespace", equalTo(ns))
                .body("spec.parentRef.name", equalTo("plain"))
                .body("metadata.labels.'ipaddress.kubernetes.io/managed-by'", equalTo("ipallocator.k8s.io"));
    }

    @Test
    void aRequestedClusterIpIsHonouredOnceAndRefusedWhenTakenOrOutOfRange() {
        create("asks", "{\"clusterIP\":\"10.96.0.101\",\"ports\":[{\"port\":80}]}").then().statusCode(201)
                .body("spec.clusterIP", equalTo("10.96.0.101")).body("spec.clusterIPs", equalTo(List.of("10.96.0.101")));

        create("asks-too", "{\"clusterIP\":\"10.96.0.101\",\"ports\":[{\"port\":80}]}").then().statusCode(422)
                .body("reason", equalTo("Invalid"))
                .body("details.causes[0].field", equalTo("spec.clusterIPs"))
                .body("details.causes[0].message", containsString("failed to allocate IP 10.96.0.101: provided IP is already allocated"));
        create("outside", "{\"clusterIP\":\"192.168.7.7\",\"ports\":[{\"port\":80}]}").then().statusCode(422)
                .body("reason", equalTo("Invalid"))
                .body("details.causes[0].field", equalTo("spec.clusterIPs"))
                .body("details.causes[0].message", containsString(
                        "the provided IP (192.168.7.7) is not in the valid range. The range of valid IPs is 10.96.0.0/12"));
        admin().get(services + "/asks-too").then().statusCode(404);
    }

    @Test
    void headlessAndExternalNameServicesTakeNoAddress() {
        create("headless", "{\"clusterIP\":\"None\",\"selector\":{\"app\":\"db\"},\"ports\":[{\"port\":5432}]}").then()
                .statusCode(201).body("spec.clusterIP", equalTo("None")).body("spec.clusterIPs", equalTo(List.of("None")));
        create("external", "{\"type\":\"ExternalName\",\"externalName\":\"db.example.com\"}").then().statusCode(201)
                .body("spec.clusterIP", nullValue()).body("spec.clusterIPs", nullValue()).body("spec.ipFamilies", nullValue());
    }

    @Test
    void nodePortsAreAssignedHonouredAndRefusedWhenTakenOrOutOfRange() {
        create("np-any", "{\"type\":\"NodePort\",\"ports\":[{\"port\":80}]}").then().statusCode(201)
                .body("spec.ports[0].nodePort", org.hamcrest.Matchers.both(org.hamcrest.Matchers.greaterThanOrEqualTo(30000))
                        .and(org.hamcrest.Matchers.lessThanOrEqualTo(32767)))
                .body("spec.externalTrafficPolicy", equalTo("Cluster"));
        create("np-asks", "{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":30011}]}").then().statusCode(201)
                .body("spec.ports[0].nodePort", equalTo(30011));

        create("np-taken", "{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":30011}]}").then().statusCode(422)
                .body("reason", equalTo("Invalid"))
                .body("details.causes[0].field", equalTo("spec.ports[0].nodePort"))
                .body("details.causes[0].message", containsString("provided port is already allocated"));
        create("np-outside", "{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":8080}]}").then().statusCode(422)
                .body("details.causes[0].field", equalTo("spec.ports[0].nodePort"))
                .body("details.causes[0].message", containsString(
                        "provided port is not in the valid range. The range of valid ports is 30000-32767"));
    }

    @Test
    void oneNodePortServesTheSameNumberForTcpAndUdp() {
        create("dns", "{\"type\":\"NodePort\",\"ports\":[{\"name\":\"udp\",\"port\":53,\"protocol\":\"UDP\",\"nodePort\":30012},"
                + "{\"name\":\"tcp\",\"port\":53,\"protocol\":\"TCP\",\"nodePort\":30012}]}").then().statusCode(201);
    }

    @Test
    void loadBalancersGetNodePortsAndStayPending() {
        create("lb", "{\"type\":\"LoadBalancer\",\"ports\":[{\"name\":\"a\",\"port\":80},{\"name\":\"b\",\"port\":443}]}")
                .then().statusCode(201)
                .body("spec.ports[0].nodePort", org.hamcrest.Matchers.greaterThanOrEqualTo(30000))
                .body("spec.ports[1].nodePort", org.hamcrest.Matchers.greaterThanOrEqualTo(30000))
                .body("spec.allocateLoadBalancerNodePorts", equalTo(true))
                .body("status.loadBalancer.ingress", nullValue());
    }

    @Test
    void deletingAServiceGivesBackItsIpAndNodePorts() {
        create("gone", "{\"type\":\"NodePort\",\"clusterIP\":\"10.96.0.102\",\"ports\":[{\"port\":80,\"nodePort\":30013}]}")
                .then().statusCode(201);
        admin().delete(services + "/gone").then().statusCode(200);

        assertEquals(404, ipAddressStatus("10.96.0.102"));
        create("again", "{\"type\":\"NodePort\",\"clusterIP\":\"10.96.0.102\",\"ports\":[{\"port\":80,\"nodePort\":30013}]}")
                .then().statusCode(201);
    }

    @Test
    void aFailedCreateGivesBackWhatItTook() {
        create("holder", "{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":30014}]}").then().statusCode(201);
        // the IP and the first node port are taken before the second port turns out to be held
        create("half", "{\"type\":\"NodePort\",\"clusterIP\":\"10.96.0.103\",\"ports\":[{\"name\":\"a\",\"port\":80,\"nodePort\":30015},"
                + "{\"name\":\"b\",\"port\":81,\"nodePort\":30014}]}").then().statusCode(422)
                .body("details.causes[0].field", equalTo("spec.ports[1].nodePort"));

        admin().get(services + "/half").then().statusCode(404);
        assertEquals(404, ipAddressStatus("10.96.0.103"));
        create("whole", "{\"type\":\"NodePort\",\"clusterIP\":\"10.96.0.103\",\"ports\":[{\"port\":80,\"nodePort\":30015}]}")
                .then().statusCode(201);
    }

    @Test
    void aCreateThatLosesOnTheNameGivesBackWhatItTook() {
        create("twice", "{\"ports\":[{\"port\":80}]}").then().statusCode(201);
        create("twice", "{\"type\":\"NodePort\",\"clusterIP\":\"10.96.0.104\",\"ports\":[{\"port\":80,\"nodePort\":30016}]}")
                .then().statusCode(409).body("reason", equalTo("AlreadyExists"));

        assertEquals(404, ipAddressStatus("10.96.0.104"));
        create("after-twice", "{\"type\":\"NodePort\",\"clusterIP\":\"10.96.0.104\",\"ports\":[{\"port\":80,\"nodePort\":30016}]}")
                .then().statusCode(201);
    }

    @Test
    void aFailedUpdateGivesBackWhatItTookAndKeepsTheStoredService() {
        create("holder-2", "{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":30017}]}").then().statusCode(201);
        create("grows", "{\"type\":\"NodePort\",\"ports\":[{\"name\":\"a\",\"port\":80,\"nodePort\":30018}]}").then().statusCode(201);

        patch("grows", "{\"spec\":{\"ports\":[{\"name\":\"a\",\"port\":80,\"nodePort\":30018},{\"name\":\"b\",\"port\":81,\"nodePort\":30019},"
                + "{\"name\":\"c\",\"port\":82,\"nodePort\":30017}]}}").then().statusCode(422)
                .body("details.causes[0].field", equalTo("spec.ports[2].nodePort"));

        admin().get(services + "/grows").then().body("spec.ports.size()", equalTo(1)).body("spec.ports[0].nodePort", equalTo(30018));
        create("takes-30019", "{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":30019}]}").then().statusCode(201);
        // the port the Service kept is still its own
        create("wants-30018", "{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":30018}]}").then().statusCode(422);
    }

    @Test
    void aDryRunTakesNothing() {
        admin().contentType(ContentType.JSON).queryParam("dryRun", "All")
                .body(service("dry", "{\"type\":\"NodePort\",\"clusterIP\":\"10.96.0.105\",\"ports\":[{\"port\":80,\"nodePort\":30020}]}"))
                .post(services).then().statusCode(201).body("spec.clusterIP", equalTo("10.96.0.105"));

        assertEquals(404, ipAddressStatus("10.96.0.105"));
        create("wet", "{\"type\":\"NodePort\",\"clusterIP\":\"10.96.0.105\",\"ports\":[{\"port\":80,\"nodePort\":30020}]}")
                .then().statusCode(201);
    }

    @Test
    void turningIntoExternalNameGivesBackTheIpAndBackTakesANewOne() {
        String ip = create("flips", "{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":30021}]}").then().statusCode(201)
                .extract().path("spec.clusterIP");

        patch("flips", "{\"spec\":{\"type\":\"ExternalName\",\"externalName\":\"db.example.com\",\"ports\":null}}").then().statusCode(200)
                .body("spec.clusterIP", nullValue()).body("spec.clusterIPs", nullValue());
        assertEquals(404, ipAddressStatus(ip));
        create("takes-30021", "{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":30021}]}").then().statusCode(201);

        String newIp = patch("flips", "{\"spec\":{\"type\":\"ClusterIP\",\"externalName\":null,\"ports\":[{\"port\":80}]}}")
                .then().statusCode(200).body("spec.clusterIP", matchesPattern("10\\.\\d+\\.\\d+\\.\\d+"))
                .extract().path("spec.clusterIP");
        assertEquals(200, ipAddressStatus(newIp));
    }

    @Test
    void leavingNodePortGivesBackTheNodePorts() {
        create("narrows", "{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":30022}]}").then().statusCode(201);

        patch("narrows", "{\"spec\":{\"type\":\"ClusterIP\"}}").then().statusCode(200)
                .body("spec.ports[0].nodePort", nullValue()).body("spec.externalTrafficPolicy", nullValue());
        create("takes-30022", "{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":30022}]}").then().statusCode(201);
    }

    @Test
    void theClusterIpCannotChange() {
        create("fixed", "{\"clusterIP\":\"10.96.0.106\",\"ports\":[{\"port\":80}]}").then().statusCode(201);

        patch("fixed", "{\"spec\":{\"clusterIP\":\"10.96.0.107\",\"clusterIPs\":[\"10.96.0.107\"]}}").then().statusCode(422)
                .body("reason", equalTo("Invalid")).body("details.causes[0].field", equalTo("spec.clusterIPs[0]"));
        assertEquals(404, ipAddressStatus("10.96.0.107"));
    }

    @Test
    void concurrentCreatesAskingForOneIpOrPortGetItOnce() throws Exception {
        List<Integer> ipCodes = race(i -> create("race-ip-" + i, "{\"clusterIP\":\"10.96.0.108\",\"ports\":[{\"port\":80}]}"));
        List<Integer> portCodes = race(i -> create("race-port-" + i, "{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":30023}]}"));

        assertEquals(1, ipCodes.stream().filter(code -> code == 201).count(), "201s among " + ipCodes);
        assertEquals(7, ipCodes.stream().filter(code -> code == 422).count(), "422s among " + ipCodes);
        assertEquals(1, portCodes.stream().filter(code -> code == 201).count(), "201s among " + portCodes);
        assertEquals(7, portCodes.stream().filter(code -> code == 422).count(), "422s among " + portCodes);
    }

    private static List<Integer> race(java.util.function.IntFunction<Response> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int index = i;
                calls.add(() -> request.apply(index).statusCode());
            }
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> code : pool.invokeAll(calls)) {
                codes.add(code.get());
            }
            return codes;
        } finally {
            pool.shutdownNow();
        }
    }
}
