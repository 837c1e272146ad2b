package io.quarkube.api;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.TestCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** kube-apiserver's probe endpoints, reachable without credentials, and Quarkus' own readiness. */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class HealthRoutesTest {

    @ParameterizedTest
    @ValueSource(strings = {"/livez", "/readyz", "/healthz"})
    void probesAnswerOkAnonymously(String path) {
        TestCluster.anonymous().get(path).then().statusCode(200).contentType(containsString("text/plain")).body(equalTo("ok"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/readyz", "/healthz"})
    void verboseReadinessListsEachCheck(String path) {
        TestCluster.anonymous().get(path + "?verbose").then().statusCode(200)
                .body(containsString("[+]ping ok"))
                .body(containsString("[+]postgresql ok"))
                .body(containsString("[+]redis ok"))
                .body(containsString("check passed"));
    }

    @Test
    void quarkusReadinessIsUp() {
        TestCluster.anonymous().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
