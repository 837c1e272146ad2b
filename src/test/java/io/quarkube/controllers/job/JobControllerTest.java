package io.quarkube.controllers.job;

import static io.quarkube.testing.TestCluster.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.quarkube.testing.Await;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The Job controller through the API. The node agent is a separate application and does not run
 * in these tests, nor does the scheduler: pods stay unbound, and the test stands in for the
 * kubelet by setting their phase (Succeeded/Failed) or Ready condition through pods/status,
 * which is all the controller reads.
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class JobControllerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static String ns;

    @BeforeAll
    static void namespace() {
        ns = Manifests.namespace("job");
    }

    private static String job(String name, String extraSpec) {
        return """
                {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"%s"},
                 "spec":{%s"template":{"metadata":{"labels":{"app":"%s"}},
                   "spec":{"restartPolicy":"Never","containers":[{"name":"work","image":"busybox"}]}}}}"""
                .formatted(name, extraSpec, name);
    }

    private static String jobs() {
        return "/apis/batch/v1/namespaces/" + ns + "/jobs";
    }

    private static String pods() {
        return "/api/v1/namespaces/" + ns + "/pods";
    }

    private static void create(String body) {
        admin().contentType(ContentType.JSON).body(body).post(jobs()).then().statusCode(201);
    }

    /** The job's pods that are neither finished nor terminating. */
    private static List<String> activePods(String job) {
        List<Map<String, Object>> items = admin().queryParam("labelSelector", "job-name=" + job).get(pods()).path("items");
        return items.stream().filter(pod -> ((Map<?, ?>) pod.get("metadata")).get("deletionTimestamp") == null)
                .filter(pod -> {
                    Object phase = pod.get("status") == null ? null : ((Map<?, ?>) pod.get("status")).get("phase");
                    return !"Succeeded".equals(phase) && !"Failed".equals(phase);
                })
                .map(pod -> (String) ((Map<?, ?>) pod.get("metadata")).get("name")).toList();
    }

    private static int podCount(String job) {
        List<?> items = admin().queryParam("labelSelector", "job-name=" + job).get(pods()).path("items");
        return items.size();
    }

    private static void finish(String pod, String phase) {
        admin().contentType("application/merge-patch+json").body("{\"status\":{\"phase\":\"" + phase + "\"}}")
                .patch(pods() + "/" + pod + "/status").then().statusCode(200);
    }

    private static JsonPath jobStatus(String name) {
        return admin().get(jobs() + "/" + name).then().statusCode(200).extract().jsonPath();
    }

    private static String conditionReason(JsonPath job, String type) {
        return job.getString("status.conditions.find { it.type == '" + type + "' && it.status == 'True' }.reason");
    }

    @Test
    void runsPodsInParallelUntilCompletionsSucceed() {
        create(job("counted", "\"completions\":3,\"parallelism\":2,"));
        Await.until("2 active pods", DEADLINE, () -> activePods("counted").size() == 2);
        String uid = jobStatus("counted").getString("metadata.uid");
        String first = activePods("counted").get(0);
        JsonPath pod = admin().get(pods() + "/" + first).then().extract().jsonPath();
        assertEquals("counted", pod.getString("metadata.labels.'batch.kubernetes.io/job-name'"));
        assertEquals("counted", pod.getString("metadata.labels.job-name"));
        assertEquals(uid, pod.getString("metadata.labels.controller-uid"));
        assertEquals(uid, pod.getString("metadata.labels.'batch.kubernetes.io/controller-uid'"));
        assertEquals(uid, pod.getString("metadata.ownerReferences[0].uid"));
        assertEquals("Job", pod.getString("metadata.ownerReferences[0].kind"));
        assertEquals(List.of(JobController.TRACKING_FINALIZER), pod.getList("metadata.finalizers"));
        assertEquals("Never", pod.getString("spec.restartPolicy"));
        Await.until("status.active 2 and startTime", DEADLINE, () -> Integer.valueOf(2).equals(jobStatus("counted").get("status.active"))
                && jobStatus("counted").get("status.startTime") != null);

        admin().contentType("application/merge-patch+json").body("""
                {"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}""")
                .patch(pods() + "/" + first + "/status").then().statusCode(200);
        Await.until("status.ready 1", DEADLINE, () -> Integer.valueOf(1).equals(jobStatus("counted").get("status.ready")));

        for (String name : activePods("counted")) {
            finish(name, "Succeeded");
        }
        Await.until("succeeded 2 and one more pod for the last completion", DEADLINE,
                () -> Integer.valueOf(2).equals(jobStatus("counted").get("status.succeeded")) && activePods("counted").size() == 1);
        List<String> finalizers = admin().get(pods() + "/" + first).path("metadata.finalizers");
        assertTrue(finalizers == null || finalizers.isEmpty(), "a counted pod keeps no tracking finalizer: " + finalizers);

        finish(activePods("counted").get(0), "Succeeded");
        Await.until("Complete", DEADLINE, () -> "CompletionsReached".equals(conditionReason(jobStatus("counted"), "Complete")));
        JsonPath done = jobStatus("counted");
        assertEquals(3, done.getInt("status.succeeded"));
        assertEquals(0, done.getInt("status.active"));
        assertEquals("CompletionsReached", conditionReason(done, "SuccessCriteriaMet"));
        assertNotNull(done.get("status.completionTime"));
        Await.until("a Completed event", DEADLINE, () -> {
            List<String> reasons = admin().get("/api/v1/namespaces/" + ns + "/events")
                    .path("items.findAll { it.involvedObject.name == 'counted' && it.involvedObject.kind == 'Job' }.reason");
            return reasons.contains("Completed") && reasons.contains("SuccessfulCreate");
        });
        assertEquals(3, podCount("counted"), "finished pods stay for their logs");
    }

    @Test
    void failsAfterBackoffLimitFailures() {
        create(job("flaky", "\"backoffLimit\":1,"));
        Await.until("a pod", DEADLINE, () -> activePods("flaky").size() == 1);
        String first = activePods("flaky").get(0);
        Instant failedAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        finish(first, "Failed");
        Await.until("failed 1 and a replacement", DEADLINE, () -> Integer.valueOf(1).equals(jobStatus("flaky").get("status.failed"))
                && activePods("flaky").size() == 1 && !activePods("flaky").contains(first));
        String replacement = activePods("flaky").get(0);
        Instant replacedAt = Instant.parse(admin().get(pods() + "/" + replacement).path("metadata.creationTimestamp"));
        assertTrue(!replacedAt.isBefore(failedAt.plus(JobController.FAILURE_BACKOFF).minusSeconds(1)),
                "the replacement waits out the 10 s back-off: failed at " + failedAt + ", replaced at " + replacedAt);
        finish(replacement, "Failed");
        Await.until("Failed with BackoffLimitExceeded", DEADLINE, () -> "BackoffLimitExceeded".equals(conditionReason(jobStatus("flaky"), "Failed")));
        JsonPath failed = jobStatus("flaky");
        assertEquals(2, failed.getInt("status.failed"));
        assertEquals("BackoffLimitExceeded", conditionReason(failed, "FailureTarget"));
        assertNull(failed.get("status.completionTime"));
        assertTrue(activePods("flaky").isEmpty());
    }

    @Test
    void activeDeadlineFailsTheJobAndDeletesItsPods() {
        create(job("slow", "\"activeDeadlineSeconds\":2,\"parallelism\":2,\"completions\":4,"));
        Await.until("2 active pods", DEADLINE, () -> activePods("slow").size() == 2);
        Await.until("Failed with DeadlineExceeded", DEADLINE, () -> "DeadlineExceeded".equals(conditionReason(jobStatus("slow"), "Failed")));
        Await.until("pods deleted", DEADLINE, () -> podCount("slow") == 0);
        JsonPath failed = jobStatus("slow");
        assertEquals(2, failed.getInt("status.failed"), "pods killed by the deadline count as failed");
        assertEquals("Job was active longer than specified deadline",
                failed.getString("status.conditions.find { it.type == 'Failed' }.message"));
    }

    @Test
    void suspendedJobRunsNoPodsUntilResumed() {
        create(job("paused", "\"suspend\":true,"));
        Await.until("Suspended", DEADLINE, () -> "JobSuspended".equals(conditionReason(jobStatus("paused"), "Suspended")));
        assertEquals(0, podCount("paused"));
        admin().contentType("application/merge-patch+json").body("{\"spec\":{\"suspend\":false}}")
                .patch(jobs() + "/paused").then().statusCode(200);
        Await.until("a pod once resumed", DEADLINE, () -> activePods("paused").size() == 1);
        Await.until("Suspended False, JobResumed", DEADLINE, () -> "JobResumed".equals(jobStatus("paused")
                .getString("status.conditions.find { it.type == 'Suspended' }.reason"))
                && "False".equals(jobStatus("paused").getString("status.conditions.find { it.type == 'Suspended' }.status")));
        admin().contentType("application/merge-patch+json").body("{\"spec\":{\"suspend\":true}}")
                .patch(jobs() + "/paused").then().statusCode(200);
        Await.until("its pod deleted when suspended again", DEADLINE, () -> activePods("paused").isEmpty()
                && "JobSuspended".equals(conditionReason(jobStatus("paused"), "Suspended")));
    }

    @Test
    void deletingAJobCollectsItsTrackedPods() {
        create(job("dropped", "\"parallelism\":2,\"completions\":2,"));
        Await.until("2 pods", DEADLINE, () -> activePods("dropped").size() == 2);
        admin().queryParam("propagationPolicy", "Background").delete(jobs() + "/dropped").then().statusCode(200);
        Await.until("pods gone despite the tracking finalizer", DEADLINE, () -> podCount("dropped") == 0);
    }

    @Test
    void indexedJobRunsOnePodPerCompletionIndex() {
        create(job("indexed", "\"completionMode\":\"Indexed\",\"completions\":3,\"parallelism\":2,"));
        Await.until("pods for indexes 0 and 1", DEADLINE, () -> indexesOf(activePods("indexed")).equals(List.of("0", "1")));
        String first = activePods("indexed").stream().filter(name -> name.startsWith("indexed-0-")).findFirst().orElseThrow();
        JsonPath pod = admin().get(pods() + "/" + first).then().extract().jsonPath();
        assertEquals("0", pod.getString("metadata.labels.'batch.kubernetes.io/job-completion-index'"));
        assertEquals("indexed-0", pod.getString("spec.hostname"));
        assertEquals("JOB_COMPLETION_INDEX", pod.getString("spec.containers[0].env[0].name"));
        assertEquals("metadata.annotations['batch.kubernetes.io/job-completion-index']",
                pod.getString("spec.containers[0].env[0].valueFrom.fieldRef.fieldPath"));

        String second = activePods("indexed").stream().filter(name -> name.startsWith("indexed-1-")).findFirst().orElseThrow();
        finish(second, "Succeeded");
        Await.until("index 1 completed and a pod for index 2", DEADLINE, () -> "1".equals(jobStatus("indexed").getString("status.completedIndexes"))
                && indexesOf(activePods("indexed")).equals(List.of("0", "2")));
        for (String name : activePods("indexed")) {
            finish(name, "Succeeded");
        }
        Await.until("Complete with indexes 0-2", DEADLINE, () -> "CompletionsReached".equals(conditionReason(jobStatus("indexed"), "Complete")));
        assertEquals("0-2", jobStatus("indexed").getString("status.completedIndexes"));
        assertEquals(3, jobStatus("indexed").getInt("status.succeeded"));
    }

    private static List<String> indexesOf(List<String> podNames) {
        return podNames.stream().map(name -> name.split("-")[1]).sorted().toList();
    }

    static Stream<Arguments> completedIndexes() {
        return Stream.of(
                Arguments.argumentSet("none", "", List.of(), null),
                Arguments.argumentSet("one", "3", List.of(3), "3"),
                Arguments.argumentSet("a run", "0-2", List.of(0, 1, 2), "0-2"),
                Arguments.argumentSet("runs and singles", "1,3-5,7", List.of(1, 3, 4, 5, 7), "1,3-5,7"));
    }

    @ParameterizedTest
    @MethodSource
    void completedIndexes(String text, List<Integer> indexes, String formatted) {
        assertEquals(indexes, List.copyOf(CompletionIndexes.parse(text)));
        assertEquals(formatted, CompletionIndexes.format(new java.util.TreeSet<>(indexes)));
    }

    static Stream<Arguments> wantedActive() {
        return Stream.of(
                Arguments.argumentSet("parallelism below remaining completions", 2, 5, 1, 2),
                Arguments.argumentSet("capped by remaining completions", 3, 4, 2, 2),
                Arguments.argumentSet("all completions done", 2, 2, 2, 0),
                Arguments.argumentSet("work queue: parallelism until one succeeds", 3, null, 0, 3),
                Arguments.argumentSet("work queue: none once one succeeded", 3, null, 1, 0));
    }

    @ParameterizedTest
    @MethodSource
    void wantedActive(int parallelism, Integer completions, int succeeded, int expected) {
        Job job = new JobBuilder().withNewSpec().withParallelism(parallelism).withCompletions(completions).endSpec().build();
        assertEquals(expected, JobController.wantedActive(job, succeeded));
    }

    static Stream<Arguments> failureBackoff() {
        return Stream.of(
                Arguments.argumentSet("no failures", 0, Duration.ZERO),
                Arguments.argumentSet("first failure", 1, Duration.ofSeconds(10)),
                Arguments.argumentSet("third failure", 3, Duration.ofSeconds(40)),
                Arguments.argumentSet("capped at 10 minutes", 8, Duration.ofMinutes(10)),
                Arguments.argumentSet("many failures stay capped", 100, Duration.ofMinutes(10)));
    }

    @ParameterizedTest
    @MethodSource
    void failureBackoff(int failures, Duration expected) {
        assertEquals(expected, JobController.failureBackoff(failures));
    }

    @Test
    void onFailureCountsContainerRestartsOfActivePodsTowardsTheBackoffLimit() {
        Job job = new JobBuilder().withNewSpec().withBackoffLimit(2)
                .withNewTemplate().withNewSpec().withRestartPolicy("OnFailure").endSpec().endTemplate().endSpec().build();
        io.fabric8.kubernetes.api.model.Pod restarting = new io.fabric8.kubernetes.api.model.PodBuilder().withNewStatus()
                .addNewContainerStatus().withName("work").withRestartCount(2).endContainerStatus().endStatus().build();
        JobStatus status = new JobStatus();
        status.setFailed(0);
        assertNull(JobController.failureCause(job, status, List.of(restarting), Instant.now()), "2 restarts are within a limit of 2");
        restarting.getStatus().getContainerStatuses().get(0).setRestartCount(3);
        assertEquals("BackoffLimitExceeded", JobController.failureCause(job, status, List.of(restarting), Instant.now()).reason());
        job.getSpec().getTemplate().getSpec().setRestartPolicy("Never");
        assertNull(JobController.failureCause(job, status, List.of(restarting), Instant.now()),
                "with Never a pod does not restart: only failed pods count");
    }

    static Stream<Arguments> failureCause() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        return Stream.of(
                Arguments.argumentSet("failures within the limit", 2, 2, null, start, null),
                Arguments.argumentSet("one failure past the limit", 2, 3, null, start, "BackoffLimitExceeded"),
                Arguments.argumentSet("backoffLimit 0, first failure", 0, 1, null, start, "BackoffLimitExceeded"),
                Arguments.argumentSet("before the deadline", 6, 0, 60L, start.plusSeconds(59), null),
                Arguments.argumentSet("at the deadline", 6, 0, 60L, start.plusSeconds(60), "DeadlineExceeded"));
    }

    @ParameterizedTest
    @MethodSource
    void failureCause(int backoffLimit, int failed, Long deadline, Instant now, String expected) {
        Job job = new JobBuilder().withNewSpec().withBackoffLimit(backoffLimit).withActiveDeadlineSeconds(deadline)
                .withNewTemplate().withNewSpec().withRestartPolicy("Never").endSpec().endTemplate().endSpec().build();
        JobStatus status = new JobStatus();
        status.setFailed(failed);
        status.setStartTime("2026-01-01T00:00:00Z");
        JobController.FailureCause cause = JobController.failureCause(job, status, List.of(), now);
        assertEquals(expected, cause == null ? null : cause.reason());
    }
}
