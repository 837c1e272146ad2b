package io.quarkube.controllers.cronjob;

import static io.quarkube.testing.TestCluster.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkube.testing.Await;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The CronJob controller through the API, without waiting for the wall clock: a CronJob is
 * created suspended, its status.lastScheduleTime is set two hours back, and resuming it makes the
 * latest missed time due at once. The node agent is a separate application and does not run in
 * these tests: the test stands in for the kubelet by setting the Job's pod Succeeded through
 * pods/status. Scheduling decisions at other times are in {@link CronJobSchedulingTest}.
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class CronJobControllerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static String ns;

    @BeforeAll
    static void namespace() {
        ns = Manifests.namespace("cron");
    }

    private static String cronJob(String name, String schedule, String extraSpec) {
        return """
                {"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"%s"},
                 "spec":{"schedule":"%s",%s"jobTemplate":{"metadata":{"labels":{"cron":"%s"}},"spec":{"template":{
                   "spec":{"restartPolicy":"Never","containers":[{"name":"work","image":"busybox"}]}}}}}}"""
                .formatted(name, schedule, extraSpec, name);
    }

    private static String cronJobs() {
        return "/apis/batch/v1/namespaces/" + ns + "/cronjobs";
    }

    private static List<Map<String, Object>> jobsOf(String cronJob) {
        return admin().queryParam("labelSelector", "cron=" + cronJob).get("/apis/batch/v1/namespaces/" + ns + "/jobs").path("items");
    }

    @Test
    void resumingAnOverdueCronJobRunsTheLatestMissedTimeAndTracksTheJob() {
        admin().contentType(ContentType.JSON).body(cronJob("hourly", "@hourly", "\"suspend\":true,")).post(cronJobs())
                .then().statusCode(201);
        String lastSchedule = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS).toString();
        admin().contentType("application/merge-patch+json").body("{\"status\":{\"lastScheduleTime\":\"" + lastSchedule + "\"}}")
                .patch(cronJobs() + "/hourly/status").then().statusCode(200);
        assertStaysWithoutJobs("hourly");

        admin().contentType("application/merge-patch+json").body("{\"spec\":{\"suspend\":false}}")
                .patch(cronJobs() + "/hourly").then().statusCode(200);
        Await.until("one Job", DEADLINE, () -> jobsOf("hourly").size() == 1);
        JsonPath jobJson = admin().queryParam("labelSelector", "cron=hourly").get("/apis/batch/v1/namespaces/" + ns + "/jobs")
                .then().extract().jsonPath().setRootPath("items[0]");
        String stamp = jobJson.getString("metadata.annotations.'batch.kubernetes.io/cronjob-scheduled-timestamp'");
        Instant scheduled = OffsetDateTime.parse(stamp).toInstant();
        assertEquals(0, scheduled.getEpochSecond() % 3600, "an @hourly time: " + stamp);
        assertTrue(scheduled.isAfter(Instant.parse(lastSchedule)) && !scheduled.isAfter(Instant.now()), stamp);
        String jobName = jobJson.getString("metadata.name");
        assertEquals("hourly-" + scheduled.getEpochSecond() / 60, jobName);
        String uid = admin().get(cronJobs() + "/hourly").path("metadata.uid");
        assertEquals(uid, jobJson.getString("metadata.ownerReferences[0].uid"));
        assertEquals("CronJob", jobJson.getString("metadata.ownerReferences[0].kind"));

        Await.until("status: active and lastScheduleTime", DEADLINE, () -> {
            JsonPath status = admin().get(cronJobs() + "/hourly").then().extract().jsonPath();
            return jobName.equals(status.getString("status.active[0].name"))
                    && scheduled.toString().equals(status.getString("status.lastScheduleTime"));
        });

        // the Job controller runs the Job's pod; stand in for the kubelet and finish it
        Await.until("the Job's pod", DEADLINE, () -> podsOfJob(jobName).size() == 1);
        admin().contentType("application/merge-patch+json").body("{\"status\":{\"phase\":\"Succeeded\"}}")
                .patch("/api/v1/namespaces/" + ns + "/pods/" + podsOfJob(jobName).get(0) + "/status").then().statusCode(200);
        Await.until("the Job leaves status.active and sets lastSuccessfulTime", DEADLINE, () -> {
            JsonPath status = admin().get(cronJobs() + "/hourly").then().extract().jsonPath();
            List<?> active = status.getList("status.active");
            return (active == null || active.isEmpty()) && status.getString("status.lastSuccessfulTime") != null;
        });
        Await.until("SuccessfulCreate and SawCompletedJob events", DEADLINE, () -> {
            List<String> reasons = admin().get("/api/v1/namespaces/" + ns + "/events")
                    .path("items.findAll { it.involvedObject.name == 'hourly' && it.involvedObject.kind == 'CronJob' }.reason");
            return reasons.contains("SuccessfulCreate") && reasons.contains("SawCompletedJob");
        });
        assertEquals(1, jobsOf("hourly").size(), "the same time runs once");
    }

    @Test
    void admissionRejectsAnUnparseableScheduleAndAnUnknownTimeZone() {
        admin().contentType(ContentType.JSON).body(cronJob("bad", "61 * * * *", "")).post(cronJobs())
                .then().statusCode(422).body("details.causes[0].field", org.hamcrest.Matchers.equalTo("spec.schedule"));
        admin().contentType(ContentType.JSON).body(cronJob("bad", "0 9 * * *", "\"timeZone\":\"Mars/Olympus\",")).post(cronJobs())
                .then().statusCode(422).body("details.causes[0].field", org.hamcrest.Matchers.equalTo("spec.timeZone"));
        admin().contentType(ContentType.JSON).body(cronJob("good", "0 9 * * MON-FRI", "\"timeZone\":\"Europe/Berlin\",")).post(cronJobs())
                .then().statusCode(201);
    }

    private static List<String> podsOfJob(String job) {
        return admin().queryParam("labelSelector", "job-name=" + job).get("/api/v1/namespaces/" + ns + "/pods").path("items.metadata.name");
    }

    /** A suspended CronJob with an overdue time creates nothing, for two seconds. */
    private static void assertStaysWithoutJobs(String cronJob) {
        long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < until) {
            assertTrue(jobsOf(cronJob).isEmpty(), "a suspended CronJob created a Job");
            Await.pause(200);
        }
    }
}
