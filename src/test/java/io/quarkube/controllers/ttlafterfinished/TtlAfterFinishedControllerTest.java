package io.quarkube.controllers.ttlafterfinished;

import static io.quarkube.testing.TestCluster.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.quarkube.testing.Await;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Finished Jobs deleted after their TTL. The node agent is a separate application and does not run
 * in these tests: the test stands in for the kubelet by marking the Job's pod Succeeded through
 * pods/status, and the Job controller then completes the Job.
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class TtlAfterFinishedControllerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static String ns;

    @BeforeAll
    static void namespace() {
        ns = Manifests.namespace("ttl");
    }

    @Test
    void aFinishedJobIsDeletedWithItsPodsAfterItsTtl() {
        String jobs = "/apis/batch/v1/namespaces/" + ns + "/jobs";
        String pods = "/api/v1/namespaces/" + ns + "/pods";
        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"brief"},
                 "spec":{"ttlSecondsAfterFinished":1,"template":{"spec":{"restartPolicy":"Never",
                   "containers":[{"name":"work","image":"busybox"}]}}}}""").post(jobs).then().statusCode(201);
        Await.until("a pod", DEADLINE, () -> !podNames(pods).isEmpty());
        admin().contentType("application/merge-patch+json").body("{\"status\":{\"phase\":\"Succeeded\"}}")
                .patch(pods + "/" + podNames(pods).get(0) + "/status").then().statusCode(200);
        Await.until("the Job deleted", DEADLINE, () -> admin().get(jobs + "/brief").statusCode() == 404);
        Await.until("its pods collected", DEADLINE, () -> podNames(pods).isEmpty());
    }

    private static List<String> podNames(String pods) {
        return admin().queryParam("labelSelector", "job-name=brief").get(pods).path("items.metadata.name");
    }

    private static Job finished(Integer ttl, String condition, String at) {
        JobBuilder builder = new JobBuilder().withNewSpec().withTtlSecondsAfterFinished(ttl).endSpec();
        if (condition != null) {
            builder.withNewStatus().addNewCondition().withType(condition).withStatus("True").withLastTransitionTime(at)
                    .endCondition().endStatus();
        }
        return builder.build();
    }

    static Stream<Arguments> timeLeft() {
        String at = "2026-01-01T00:00:00Z";
        return Stream.of(
                argumentSet("no TTL", finished(null, "Complete", at), "2026-01-01T00:00:00Z", null),
                argumentSet("not finished", finished(60, null, null), "2026-01-01T00:00:00Z", null),
                argumentSet("complete, TTL running", finished(60, "Complete", at), "2026-01-01T00:00:20Z", Duration.ofSeconds(40)),
                argumentSet("failed, TTL passed", finished(60, "Failed", at), "2026-01-01T00:01:10Z", Duration.ofSeconds(-10)),
                argumentSet("TTL 0 expires at once", finished(0, "Complete", at), "2026-01-01T00:00:00Z", Duration.ZERO));
    }

    @ParameterizedTest
    @MethodSource
    void timeLeft(Job job, String now, Duration expected) {
        assertEquals(expected, TtlAfterFinishedController.timeLeft(job, Instant.parse(now)));
    }
}
