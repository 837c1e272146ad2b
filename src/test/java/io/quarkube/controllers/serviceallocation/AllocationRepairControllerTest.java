package io.quarkube.controllers.serviceallocation;

import static io.quarkube.testing.TestCluster.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IPAddressSpec;
import io.fabric8.kubernetes.api.model.networking.v1.ParentReferenceBuilder;
import io.quarkube.client.ApiClient;
import io.quarkube.storage.Storage;
import io.quarkube.registry.service.ServiceNodePort;
import io.quarkube.testing.Await;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The repair pass against records written around the allocator, as a crash or an older version
 * would leave them. Each test waits until the controller's informers hold its writes, then runs
 * passes itself rather than waiting for the interval.
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class AllocationRepairControllerTest {

    private static final String IPS = "/apis/networking.k8s.io/v1/ipaddresses";

    @Inject
    AllocationRepairController repair;
    @Inject
    Storage storage;
    @Inject
    ApiClient api;

    @BeforeEach
    void controllerRuns() {
        Await.until("the repair controller running", repair::running);
    }

    /** Waits until the informers hold every write made so far. */
    private void observed() {
        storage.consistentRevision().await().indefinitely();
    }

    private void ipAddress(String ip, String managedBy, String namespace, String service) {
        String labels = managedBy == null ? "" : ",\"labels\":{\"ipaddress.kubernetes.io/managed-by\":\"" + managedBy + "\"}";
        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"networking.k8s.io/v1","kind":"IPAddress","metadata":{"name":"%s"%s},
                 "spec":{"parentRef":{"group":"","resource":"services","namespace":"%s","name":"%s"}}}"""
                .formatted(ip, labels, namespace, service)).post(IPS).then().statusCode(201);
    }

    @Test
    void anIpRecordNoServiceHoldsGoesOnTheSecondPass() {
        ipAddress("10.96.0.150", "ipallocator.k8s.io", "nowhere", "gone");
        observed();

        repair.repair().await().indefinitely();
        assertEquals(200, admin().get(IPS + "/10.96.0.150").statusCode(), "a first sighting may be a create in flight");
        repair.repair().await().indefinitely();
        assertEquals(404, admin().get(IPS + "/10.96.0.150").statusCode());
    }

    @Test
    void anIpAddressSomeoneElseReservedStays() {
        ipAddress("10.96.0.151", null, "nowhere", "reserved");
        observed();

        repair.repair().await().indefinitely();
        repair.repair().await().indefinitely();
        assertEquals(200, admin().get(IPS + "/10.96.0.151").statusCode());
    }

    @Test
    void aServiceWhoseIpHasNoRecordGetsOneAgain() {
        String ns = Manifests.namespace("repair");
        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"old"},
                 "spec":{"clusterIP":"10.96.0.152","ports":[{"port":80}]}}""")
                .post("/api/v1/namespaces/" + ns + "/services").then().statusCode(201);
        // as a Service stored before records existed
        admin().delete(IPS + "/10.96.0.152").then().statusCode(200);
        observed();

        repair.repair().await().indefinitely();
        admin().get(IPS + "/10.96.0.152").then().statusCode(200)
                .body("spec.parentRef.namespace", org.hamcrest.Matchers.equalTo(ns))
                .body("spec.parentRef.name", org.hamcrest.Matchers.equalTo("old"));
    }

    @Test
    void aNodePortRecordNoServiceHoldsGoesOnTheSecondPass() {
        ServiceNodePort record = new ServiceNodePort();
        record.setMetadata(new ObjectMetaBuilder().withName("30070").build());
        record.setSpec(new IPAddressSpec(new ParentReferenceBuilder().withGroup("").withResource("services")
                .withNamespace("nowhere").withName("gone").build()));
        api.create(record).await().indefinitely();
        observed();

        repair.repair().await().indefinitely();
        assertNotNull(api.get(ServiceNodePort.class, "", "30070").await().indefinitely());
        repair.repair().await().indefinitely();
        assertNull(api.get(ServiceNodePort.class, "", "30070").await().indefinitely());
    }
}
