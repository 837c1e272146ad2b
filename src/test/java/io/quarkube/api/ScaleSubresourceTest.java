package io.quarkube.api;

import static io.quarkube.testing.TestCluster.admin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The scale subresource of deployments, and the binding subresource of pods. */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class ScaleSubresourceTest {

    private static String ns;

    @BeforeAll
    static void namespace() {
        ns = Manifests.namespace("scale");
    }

    @Test
    void scaleReadsAndWritesTheDeploymentsReplicas() {
        String deployment = "/apis/apps/v1/namespaces/" + ns + "/deployments/scaled";
        admin().contentType(ContentType.JSON).body(Manifests.deployment("scaled", 1))
                .post("/apis/apps/v1/namespaces/" + ns + "/deployments").then().statusCode(201);
        admin().get(deployment + "/scale").then().statusCode(200)
                .body("kind", equalTo("Scale")).body("apiVersion", equalTo("autoscaling/v1"))
                .body("spec.replicas", equalTo(1)).body("status.selector", equalTo("app=scaled"));

        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"scaled","namespace":"%s"},"spec":{"replicas":2}}"""
                .formatted(ns)).put(deployment + "/scale").then().statusCode(200).body("spec.replicas", equalTo(2));
        admin().get(deployment).then().body("spec.replicas", equalTo(2));

        admin().contentType("application/merge-patch+json").body("{\"spec\":{\"replicas\":3}}")
                .patch(deployment + "/scale").then().statusCode(200).body("kind", equalTo("Scale")).body("spec.replicas", equalTo(3));
        admin().get(deployment).then().body("spec.replicas", equalTo(3)).body("metadata.generation", equalTo(3));
    }

    @Test
    void bindingAssignsAPodOnceAndMarksItScheduled() {
        String pods = "/api/v1/namespaces/" + ns + "/pods";
        admin().contentType(ContentType.JSON).body(Manifests.pod("bound", "nginx:1.27")).post(pods).then().statusCode(201);
        String binding = """
                {"apiVersion":"v1","kind":"Binding","metadata":{"name":"bound"},"target":{"apiVersion":"v1","kind":"Node","name":"%s"}}""";
        admin().contentType(ContentType.JSON).body(binding.formatted("node-a")).post(pods + "/bound/binding")
                .then().statusCode(201).body("status", equalTo("Success"));
        admin().get(pods + "/bound").then().statusCode(200).body("spec.nodeName", equalTo("node-a"))
                .body("status.conditions.findAll { it.type == 'PodScheduled' }.status", hasItem("True"));

        admin().contentType(ContentType.JSON).body(binding.formatted("node-b")).post(pods + "/bound/binding")
                .then().statusCode(409).body("reason", equalTo("Conflict"));
        admin().get(pods + "/bound").then().body("spec.nodeName", equalTo("node-a"));
    }
}
