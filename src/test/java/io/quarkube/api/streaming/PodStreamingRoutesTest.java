package io.quarkube.api.streaming;

import static io.quarkube.testing.TestCluster.admin;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkube.json.Json;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkube.testing.TestPods;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The answers of pods/log, exec, attach and portforward that the control plane gives by itself,
 * before any node agent is involved, compared with kube-apiserver's.
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class PodStreamingRoutesTest {

    private static String ns;

    @BeforeAll
    static void pods() {
        ns = Manifests.namespace("streaming");
        create(TestPods.pod("single").container("main", "busybox").build().toString());
        create(TestPods.pod("pair").container("main", "busybox").container("sidecar", "busybox").build().toString());
        create(TestPods.pod("lost").container("main", "busybox").spec("nodeName", "no-such-node").build().toString());
    }

    private static void create(String pod) {
        admin().contentType(ContentType.JSON).body(pod).post("/api/v1/namespaces/" + ns + "/pods").then().statusCode(201);
    }

    private static String pod(String name) {
        return "/api/v1/namespaces/" + ns + "/pods/" + name;
    }

    @Test
    void logOfAMissingPodIsNotFound() {
        admin().get(pod("absent") + "/log").then().statusCode(404).body("kind", equalTo("Status"))
                .body("reason", equalTo("NotFound")).body("message", equalTo("pods \"absent\" not found"))
                .body("details.name", equalTo("absent")).body("details.kind", equalTo("pods"));
    }

    @Test
    void logNeedsAContainerNameWhenThePodHasSeveral() {
        admin().get(pod("pair") + "/log").then().statusCode(400).body("reason", equalTo("BadRequest"))
                .body("message", equalTo("a container name must be specified for pod pair, choose one of: [main sidecar]"));
    }

    @Test
    void logOfAContainerThePodDoesNotHaveIsABadRequest() {
        admin().queryParam("container", "other").get(pod("single") + "/log").then().statusCode(400)
                .body("reason", equalTo("BadRequest")).body("message", equalTo("container other is not valid for pod single"));
    }

    @Test
    void logOfAnUnscheduledPodIsEmpty() {
        admin().get(pod("single") + "/log").then().statusCode(200).contentType(startsWith("text/plain")).body(emptyString());
    }

    @Test
    void invalidLogOptionsAreRejected() {
        admin().queryParam("tailLines", "-3").get(pod("single") + "/log").then().statusCode(422)
                .body("reason", equalTo("Invalid")).body("details.kind", equalTo("PodLogOptions"))
                .body("message", equalTo("PodLogOptions \"single\" is invalid: tailLines: Invalid value: -3: must be greater than or equal to 0"));
    }

    @Test
    void logOfAPodOnAnUnknownNodeReportsTheNode() {
        admin().get(pod("lost") + "/log").then().statusCode(404).body("message", equalTo("nodes \"no-such-node\" not found"));
    }

    @Test
    void execAttachAndPortForwardNeedAScheduledPod() {
        for (String subresource : new String[] {"exec?command=ls&stdout=true", "attach?stdout=true", "portforward"}) {
            admin().post(pod("single") + "/" + subresource).then().statusCode(400).body("reason", equalTo("BadRequest"))
                    .body("message", equalTo("pod single does not have a host assigned"));
        }
    }

    @Test
    void logOnlyAnswersGet() {
        admin().contentType(ContentType.JSON).body(Json.object().toString()).post(pod("single") + "/log").then().statusCode(405)
                .body("reason", equalTo("MethodNotAllowed"));
    }
}
