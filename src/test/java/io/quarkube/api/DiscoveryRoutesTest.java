package io.quarkube.api;

import static io.quarkube.testing.TestCluster.admin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.TestCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Discovery as kubectl 1.27-1.33 asks for it, and the version its dispatcher reads. */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class DiscoveryRoutesTest {

    private static final String V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    private static final String V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

    static Stream<Arguments> aggregatedRequests() {
        return Stream.of(
                argumentSet("kubectl 1.30+ on /api", "/api", V2 + "," + V2BETA1 + ",application/json", V2, "apidiscovery.k8s.io/v2"),
                argumentSet("kubectl 1.27 on /api", "/api", V2BETA1 + ",application/json", V2BETA1, "apidiscovery.k8s.io/v2beta1"),
                argumentSet("kubectl 1.30+ on /apis", "/apis", V2 + "," + V2BETA1 + ",application/json", V2, "apidiscovery.k8s.io/v2"),
                argumentSet("kubectl 1.27 on /apis", "/apis", V2BETA1 + ",application/json", V2BETA1, "apidiscovery.k8s.io/v2beta1"));
    }

    @ParameterizedTest
    @MethodSource("aggregatedRequests")
    void aggregatedDiscoveryRepeatsTheAskedMediaType(String path, String accept, String contentType, String apiVersion) {
        admin().accept(accept).get(path).then().statusCode(200).header("Content-Type", equalTo(contentType))
                .body("kind", equalTo("APIGroupDiscoveryList")).body("apiVersion", equalTo(apiVersion))
                .body("items.size()", not(equalTo(0)));
    }

    @Test
    void aggregatedCoreGroupListsPodsWithSubresources() {
        admin().accept(V2).get("/api").then().statusCode(200)
                .body("items[0].versions[0].resources.resource", hasItems("pods", "namespaces", "configmaps"))
                .body("items[0].versions[0].resources.find { it.resource == 'pods' }.subresources.subresource",
                        hasItems("status", "binding"));
    }

    @Test
    void legacyDiscoveryWithoutTheAggregatedMediaType() {
        admin().accept("application/json").get("/api").then().statusCode(200).header("Content-Type", startsWith("application/json"))
                .body("kind", equalTo("APIVersions")).body("versions", hasItem("v1"));
        admin().get("/apis").then().statusCode(200).body("kind", equalTo("APIGroupList")).body("groups.name", hasItem("apps"));
    }

    @Test
    void appsV1ListsDeploymentsWithTheirScaleSubresource() {
        admin().get("/apis/apps/v1").then().statusCode(200).body("kind", equalTo("APIResourceList"))
                .body("groupVersion", equalTo("apps/v1"))
                .body("resources.name", hasItems("deployments", "deployments/scale", "deployments/status"))
                .body("resources.find { it.name == 'deployments/scale' }.kind", equalTo("Scale"))
                .body("resources.find { it.name == 'deployments' }.shortNames", hasItem("deploy"));
    }

    @Test
    void versionNamesTheServedRelease() {
        TestCluster.anonymous().get("/version").then().statusCode(200).body("major", equalTo("1"))
                .body("minor", equalTo("33")).body("gitVersion", startsWith("v1.33."));
    }
}
