package io.quarkube.e2e;

import static io.quarkube.testing.TestCluster.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkube.testing.Await;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Services, their endpoints and their addresses as real kubectl shows them: kube's columns, a
 * LoadBalancer pending, and the allocator's refusal of a taken cluster IP in kubectl's words.
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class ServicesKubectlTest {

    static Stream<Kubectl> versions() {
        return Stream.of(new Kubectl(27), new Kubectl(33));
    }

    private static final String MANIFEST = """
            apiVersion: v1
            kind: Service
            metadata: {name: front}
            spec:
              type: LoadBalancer
              selector: {app: front}
              ports: [{name: http, port: 80, targetPort: web}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: front-0, labels: {app: front}}
            spec:
              containers: [{name: web, image: busybox, ports: [{name: web, containerPort: 8080}]}]
            """;

    /** The whitespace-separated cells of the printed row whose first cell is {@code name}. */
    private static List<String> row(CommandResult result, String name) {
        return result.stdout().lines().map(line -> List.of(line.strip().split("\\s+")))
                .filter(cells -> cells.get(0).equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + name + "\n" + result.describe()));
    }

    private static String header(CommandResult result) {
        return String.join(" ", result.stdout().lines().findFirst().orElse("").strip().split("\\s+"));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void getShowsServicesEndpointsSlicesAndAddressesAsKubeDoes(Kubectl kubectl) {
        kubectl.ensureNamespace();
        kubectl.withInput(MANIFEST, "apply", "-f", "-");
        admin().contentType("application/merge-patch+json").body("""
                {"status":{"phase":"Running","podIP":"10.244.9.%d","podIPs":[{"ip":"10.244.9.%d"}],
                 "conditions":[{"type":"Ready","status":"True"}]}}""".formatted(kubectl.minor(), kubectl.minor()))
                .patch("/api/v1/namespaces/" + kubectl.namespace() + "/pods/front-0/status").then().statusCode(200);
        String address = "10.244.9." + kubectl.minor();
        Await.until("the endpoints", () -> kubectl.inNamespace("get", "endpoints", "front").stdout().contains(address + ":8080"));

        CommandResult services = kubectl.ok("get", "services", "front");
        assertEquals("NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE", header(services), services::describe);
        List<String> service = row(services, "front");
        assertEquals("LoadBalancer", service.get(1));
        assertTrue(service.get(2).startsWith("10."), services::describe);
        assertEquals("<pending>", service.get(3), "no load-balancer implementation: stays pending");
        assertTrue(service.get(4).matches("80:3\\d{4}/TCP"), services::describe);

        CommandResult endpoints = kubectl.ok("get", "endpoints", "front");
        assertEquals("NAME ENDPOINTS AGE", header(endpoints), endpoints::describe);
        assertEquals(address + ":8080", row(endpoints, "front").get(1));

        CommandResult slices = kubectl.ok("get", "endpointslices", "-l", "kubernetes.io/service-name=front");
        assertEquals("NAME ADDRESSTYPE PORTS ENDPOINTS AGE", header(slices), slices::describe);
        List<String> slice = slices.stdout().lines().skip(1).map(line -> List.of(line.strip().split("\\s+"))).findFirst().orElseThrow();
        assertEquals(List.of("IPv4", "8080", address), slice.subList(1, 4), slices::describe);

        String clusterIp = service.get(2);
        CommandResult addresses = kubectl.ok("get", "ipaddresses", clusterIp);
        assertEquals("NAME PARENTREF", header(addresses), addresses::describe);
        assertEquals("services/" + kubectl.namespace() + "/front", row(addresses, clusterIp).get(1));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void aTakenClusterIpIsRefusedInKubectlsWords(Kubectl kubectl) {
        kubectl.ensureNamespace();
        String ip = "10.96.0." + (160 + kubectl.minor() - 27);
        kubectl.ok("create", "service", "clusterip", "first-ip", "--clusterip=" + ip, "--tcp=80:8080");

        CommandResult second = kubectl.inNamespace("create", "service", "clusterip", "second-ip", "--clusterip=" + ip, "--tcp=80:8080");
        assertNotEquals(0, second.exitCode(), second::describe);
        assertTrue(second.stderr().contains("Service \"second-ip\" is invalid: spec.clusterIPs: Invalid value: []string{\"" + ip
                + "\"}: failed to allocate IP " + ip + ": provided IP is already allocated"), second::describe);
    }
}
