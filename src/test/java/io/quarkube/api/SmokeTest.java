package io.quarkube.api;

import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.TestCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class SmokeTest {

    @Test
    void versionIsAnonymousAndNamespacesNeedACertificate() {
        TestCluster.anonymous().get("/version").then().statusCode(200).body("minor", equalTo("33"));
        TestCluster.anonymous().get("/api/v1/namespaces").then().statusCode(401).body("reason", equalTo("Unauthorized"));
        TestCluster.admin().get("/api/v1/namespaces/default").then().statusCode(200).body("status.phase", equalTo("Active"));
    }
}
