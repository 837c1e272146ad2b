package io.quarkube.api;

import static io.quarkube.testing.TestCluster.admin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesPattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The defaults kube-apiserver fills in on create, seen through the API as kubectl sees them. */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class ResourceDefaultsTest {

    private static String ns;

    @BeforeAll
    static void namespace() {
        ns = Manifests.namespace("defaults");
    }

    @Test
    void podsGetSchedulingAndContainerDefaults() {
        String pods = "/api/v1/namespaces/" + ns + "/pods";
        admin().contentType(ContentType.JSON).body(Manifests.pod("pinned", "nginx:1.27")).post(pods).then().statusCode(201)
                .body("spec.restartPolicy", equalTo("Always"))
                .body("spec.dnsPolicy", equalTo("ClusterFirst"))
                .body("spec.tolerations.key", hasItems("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"))
                .body("status.qosClass", equalTo("BestEffort"))
                .body("status.phase", equalTo("Pending"))
                .body("spec.containers[0].imagePullPolicy", equalTo("IfNotPresent"));
        admin().contentType(ContentType.JSON).body(Manifests.pod("latest", "nginx")).post(pods).then().statusCode(201)
                .body("spec.containers[0].imagePullPolicy", equalTo("Always"));
    }

    @Test
    void servicesGetAClusterIpThatCannotChange() {
        String services = "/api/v1/namespaces/" + ns + "/services";
        String clusterIp = admin().contentType(ContentType.JSON).body(Manifests.service("web")).post(services)
                .then().statusCode(201)
                .body("spec.clusterIP", matchesPattern("\\d+\\.\\d+\\.\\d+\\.\\d+"))
                .body("spec.type", equalTo("ClusterIP"))
                .body("spec.ports[0].targetPort", equalTo(80))
                .body("spec.ports[0].protocol", equalTo("TCP"))
                .extract().path("spec.clusterIP");
        String moved = clusterIp.endsWith(".250") ? clusterIp.replaceFirst("\\d+$", "251") : clusterIp.replaceFirst("\\d+$", "250");
        admin().contentType("application/merge-patch+json")
                .body("{\"spec\":{\"clusterIP\":\"" + moved + "\",\"clusterIPs\":[\"" + moved + "\"]}}")
                .patch(services + "/web").then().statusCode(422).body("reason", equalTo("Invalid"));
        admin().get(services + "/web").then().body("spec.clusterIP", equalTo(clusterIp));
    }

    @Test
    void deploymentsGetARollingUpdateStrategy() {
        admin().contentType(ContentType.JSON).body(Manifests.deployment("rolling", 1))
                .post("/apis/apps/v1/namespaces/" + ns + "/deployments").then().statusCode(201)
                .body("spec.strategy.type", equalTo("RollingUpdate"))
                .body("spec.strategy.rollingUpdate.maxSurge", equalTo("25%"))
                .body("spec.strategy.rollingUpdate.maxUnavailable", equalTo("25%"));
    }

    @Test
    void namespacesAreActiveWithTheKubernetesFinalizerAndNameLabel() {
        String name = "defaults-ns-" + System.nanoTime();
        admin().contentType(ContentType.JSON).body(Manifests.namespaceBody(name)).post("/api/v1/namespaces").then()
                .statusCode(201)
                .body("status.phase", equalTo("Active"))
                .body("spec.finalizers", hasItem("kubernetes"))
                .body("metadata.labels.'kubernetes.io/metadata.name'", equalTo(name));
    }
}
