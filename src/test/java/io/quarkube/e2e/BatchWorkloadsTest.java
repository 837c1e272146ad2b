package io.quarkube.e2e;

import static io.quarkube.testing.TestCluster.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkube.testing.Await;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.PodStatusStandIn;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Jobs and CronJobs driven with the real kubectl. The node agent is a separate application and
 * does not run in these tests: a stand-in plays the kubelet by marking every pod of the namespace
 * Succeeded through pods/status, as an agent would once the container exited 0.
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class BatchWorkloadsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private PodStatusStandIn kubeletStandIn;

    @AfterEach
    void stopStandIn() {
        if (kubeletStandIn != null) {
            kubeletStandIn.close();
        }
    }

    @Test
    void aJobRunsToCompletion() {
        Kubectl kubectl = new Kubectl(33);
        kubectl.ensureNamespace();
        kubeletStandIn = PodStatusStandIn.succeeded(kubectl.namespace());
        kubectl.ok("create", "job", "hello", "--image=busybox:1.36", "--", "echo", "hello");
        kubectl.ok("wait", "--for=condition=complete", "job/hello", "--timeout=60s");
        CommandResult described = kubectl.ok("describe", "job/hello");
        assertTrue(described.stdout().contains("SuccessfulCreate") && described.stdout().contains("Completed"), described::describe);
        CommandResult status = kubectl.ok("get", "job/hello", "-o", "jsonpath={.status.succeeded}");
        assertEquals("1", status.stdout().trim());
    }

    @Test
    void aCronJobFiresAndCanBeTriggeredByHand() {
        Kubectl kubectl = new Kubectl(33);
        kubectl.ensureNamespace();
        kubeletStandIn = PodStatusStandIn.succeeded(kubectl.namespace());
        kubectl.ok("create", "cronjob", "tick", "--image=busybox:1.36", "--schedule=@hourly", "--", "date");

        // a Job by hand from the CronJob's template, as operators do to test one
        kubectl.ok("create", "job", "tick-manual", "--from=cronjob/tick");
        kubectl.ok("wait", "--for=condition=complete", "job/tick-manual", "--timeout=60s");

        // pretend the last run was two hours ago: the current hour's run is due at once
        String lastSchedule = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS).toString();
        kubectl.ok("patch", "cronjob/tick", "--subresource=status", "--type=merge",
                "-p", "{\"status\":{\"lastScheduleTime\":\"" + lastSchedule + "\"}}");
        Await.until("a scheduled Job", DEADLINE, () -> {
            List<String> names = admin().get("/apis/batch/v1/namespaces/" + kubectl.namespace() + "/jobs").path("items.metadata.name");
            return names.stream().anyMatch(name -> name.matches("tick-\\d+"));
        });
        Await.until("the CronJob records a successful run", DEADLINE, () -> {
            CommandResult last = kubectl.ok("get", "cronjob/tick", "-o", "jsonpath={.status.lastSuccessfulTime}");
            return !last.stdout().isBlank();
        });
        CommandResult listed = kubectl.ok("get", "cronjobs");
        assertTrue(listed.stdout().contains("tick") && listed.stdout().contains("@hourly"), listed::describe);
    }
}
