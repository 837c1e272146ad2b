package io.quarkube.controllers.apiserverendpoints;

import static io.quarkube.testing.TestCluster.admin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.TestCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The kubernetes Service's endpoints follow the API server Leases: this replica from the start, a
 * second replica while its Lease is renewed, not once it has expired.
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class ApiServerEndpointReconcilerTest {

    private static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases";
    private static final String OTHER = "apiserver-endpoint-127-0-0-2-" + TestCluster.port();

    @Inject
    ApiServerEndpointReconciler reconciler;

    @AfterEach
    void removeOtherReplica() {
        admin().delete(LEASES + "/" + OTHER);
        reconciler.reconcile().await().indefinitely();
    }

    @Test
    void theKubernetesServiceTakesTheFirstAddressAndPointsAtThisReplica() {
        admin().get("/api/v1/namespaces/default/services/kubernetes").then().statusCode(200)
                .body("spec.clusterIP", equalTo("10.96.0.1"))
                .body("spec.ports[0].port", equalTo(443))
                .body("spec.ports[0].targetPort", equalTo(TestCluster.port()));
        admin().get("/apis/networking.k8s.io/v1/ipaddresses/10.96.0.1").then().statusCode(200)
                .body("spec.parentRef.name", equalTo("kubernetes"));
        admin().get("/api/v1/namespaces/default/endpoints/kubernetes").then().statusCode(200)
                .body("subsets[0].addresses.ip", equalTo(List.of("127.0.0.1")))
                .body("subsets[0].ports[0].port", equalTo(TestCluster.port()))
                .body("subsets[0].ports[0].name", equalTo("https"));
        admin().get("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes").then().statusCode(200)
                .body("metadata.labels.'kubernetes.io/service-name'", equalTo("kubernetes"))
                .body("addressType", equalTo("IPv4"))
                .body("endpoints.addresses.flatten()", equalTo(List.of("127.0.0.1")))
                .body("ports[0].port", equalTo(TestCluster.port()));
    }

    @Test
    void aSecondReplicaJoinsWhileItsLeaseLivesAndLeavesWhenItExpires() {
        writeOtherLease(ZonedDateTime.now(ZoneOffset.UTC));
        reconciler.reconcile().await().indefinitely();

        admin().get("/api/v1/namespaces/default/endpoints/kubernetes").then()
                .body("subsets[0].addresses.ip", equalTo(List.of("127.0.0.1", "127.0.0.2")));
        admin().get("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes").then()
                .body("endpoints.addresses.flatten()", equalTo(List.of("127.0.0.1", "127.0.0.2")));

        admin().delete(LEASES + "/" + OTHER).then().statusCode(200);
        writeOtherLease(ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(1));
        reconciler.reconcile().await().indefinitely();

        List<String> addresses = admin().get("/api/v1/namespaces/default/endpoints/kubernetes").path("subsets[0].addresses.ip");
        assertEquals(List.of("127.0.0.1"), addresses);
    }

    private static void writeOtherLease(ZonedDateTime renewed) {
        String time = renewed.truncatedTo(ChronoUnit.MICROS).format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'"));
        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"coordination.k8s.io/v1","kind":"Lease",
                 "metadata":{"name":"%s","labels":{"quarkube.io/apiserver-endpoint":"true"}},
                 "spec":{"holderIdentity":"127.0.0.2:%d","leaseDurationSeconds":15,"renewTime":"%s"}}"""
                .formatted(OTHER, TestCluster.port(), time)).post(LEASES).then().statusCode(201);
    }
}
