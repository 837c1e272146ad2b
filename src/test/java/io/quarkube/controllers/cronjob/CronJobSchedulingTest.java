package io.quarkube.controllers.cronjob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.quarkube.controllers.cronjob.CronJobScheduling.Action;
import io.quarkube.controllers.cronjob.CronJobScheduling.Decision;
import io.quarkube.cron.CronSchedule;

class CronJobSchedulingTest {

    private static final String CREATED = "2026-01-01T00:00:00Z";

    /** A CronJob created at {@link #CREATED}; lastScheduleTime and the active Job's name when given. */
    private static CronJob cronJob(String schedule, String policy, Long startingDeadline, String lastSchedule, String activeJob) {
        CronJobBuilder builder = new CronJobBuilder().withNewMetadata().withName("tick").withNamespace("ns").withUid("cj-uid")
                .withCreationTimestamp(CREATED).endMetadata()
                .withNewSpec().withSchedule(schedule).withConcurrencyPolicy(policy).withStartingDeadlineSeconds(startingDeadline).endSpec()
                .withNewStatus().withLastScheduleTime(lastSchedule).endStatus();
        if (activeJob != null) {
            builder.editStatus().withActive(new ObjectReferenceBuilder().withName(activeJob).withUid("job-uid").build()).endStatus();
        }
        return builder.build();
    }

    static Stream<Arguments> decisions() {
        return Stream.of(
                argumentSet("nothing due before the first time", cronJob("*/5 * * * *", "Allow", null, null, null),
                        "2026-01-01T00:04:59Z", Action.NOTHING_DUE, null, "2026-01-01T00:05:00.100Z"),
                argumentSet("first time due", cronJob("*/5 * * * *", "Allow", null, null, null),
                        "2026-01-01T00:05:01Z", Action.CREATE, "2026-01-01T00:05:00Z", "2026-01-01T00:10:00.100Z"),
                argumentSet("several missed: only the latest runs", cronJob("*/5 * * * *", "Allow", null, "2026-01-01T00:05:00Z", null),
                        "2026-01-01T00:27:00Z", Action.CREATE, "2026-01-01T00:25:00Z", "2026-01-01T00:30:00.100Z"),
                argumentSet("already run", cronJob("*/5 * * * *", "Allow", null, "2026-01-01T00:05:00Z", null),
                        "2026-01-01T00:06:00Z", Action.NOTHING_DUE, null, "2026-01-01T00:10:00.100Z"),
                argumentSet("active under this time's name", cronJob("*/5 * * * *", "Allow", null, "2026-01-01T00:00:00Z",
                        "tick-" + Instant.parse("2026-01-01T00:05:00Z").getEpochSecond() / 60),
                        "2026-01-01T00:06:00Z", Action.ALREADY_RUN, "2026-01-01T00:05:00Z", "2026-01-01T00:10:00.100Z"),
                argumentSet("Allow runs beside an active Job", cronJob("*/5 * * * *", "Allow", null, "2026-01-01T00:05:00Z", "tick-1"),
                        "2026-01-01T00:10:30Z", Action.CREATE, "2026-01-01T00:10:00Z", "2026-01-01T00:15:00.100Z"),
                argumentSet("Forbid holds back while a Job runs", cronJob("*/5 * * * *", "Forbid", null, "2026-01-01T00:05:00Z", "tick-1"),
                        "2026-01-01T00:10:30Z", Action.FORBIDDEN, "2026-01-01T00:10:00Z", "2026-01-01T00:15:00.100Z"),
                argumentSet("Forbid runs when none runs", cronJob("*/5 * * * *", "Forbid", null, "2026-01-01T00:05:00Z", null),
                        "2026-01-01T00:10:30Z", Action.CREATE, "2026-01-01T00:10:00Z", "2026-01-01T00:15:00.100Z"),
                argumentSet("Replace replaces a running Job", cronJob("*/5 * * * *", "Replace", null, "2026-01-01T00:05:00Z", "tick-1"),
                        "2026-01-01T00:10:30Z", Action.REPLACE_AND_CREATE, "2026-01-01T00:10:00Z", "2026-01-01T00:15:00.100Z"),
                argumentSet("within startingDeadlineSeconds", cronJob("0 * * * *", "Allow", 120L, "2026-01-01T00:00:00Z", null),
                        "2026-01-01T01:01:59Z", Action.CREATE, "2026-01-01T01:00:00Z", "2026-01-01T02:00:00.100Z"),
                argumentSet("past startingDeadlineSeconds: nothing in the window", cronJob("0 * * * *", "Allow", 120L, "2026-01-01T00:00:00Z", null),
                        "2026-01-01T01:02:01Z", Action.NOTHING_DUE, null, "2026-01-01T02:00:00.100Z"),
                argumentSet("time zone: 09:00 in Berlin is 08:00 UTC", cronJobInZone("0 9 * * *", "Europe/Berlin"),
                        "2026-01-01T08:00:30Z", Action.CREATE, "2026-01-01T08:00:00Z", "2026-01-02T08:00:00.100Z"));
    }

    private static CronJob cronJobInZone(String schedule, String zone) {
        CronJob cronJob = cronJob(schedule, "Allow", null, null, null);
        cronJob.getSpec().setTimeZone(zone);
        return cronJob;
    }

    @ParameterizedTest
    @MethodSource
    void decisions(CronJob cronJob, String now, Action action, String scheduled, String nextCheck) {
        Decision decision = CronJobScheduling.decide(cronJob, CronSchedule.parse(cronJob.getSpec().getSchedule()), Instant.parse(now));
        assertEquals(action, decision.action());
        assertEquals(scheduled == null ? null : Instant.parse(scheduled), decision.scheduledTime());
        assertEquals(Instant.parse(nextCheck), decision.nextCheck());
    }

    @Test
    void moreThanAHundredMissedRunsTheLatestAndSaysSo() {
        CronJob cronJob = cronJob("* * * * *", "Allow", null, null, null);
        Decision decision = CronJobScheduling.decide(cronJob, CronSchedule.parse("* * * * *"), Instant.parse("2026-01-01T03:00:30Z"));
        assertEquals(true, decision.tooManyMissed());
        assertEquals(Action.CREATE, decision.action());
        assertEquals(Instant.parse("2026-01-01T03:00:00Z"), decision.scheduledTime());
    }

    @Test
    void aHundredMissedIsNotTooMany() {
        CronJob cronJob = cronJob("* * * * *", "Allow", null, null, null);
        Decision decision = CronJobScheduling.decide(cronJob, CronSchedule.parse("* * * * *"), Instant.parse("2026-01-01T01:40:30Z"));
        assertEquals(false, decision.tooManyMissed());
        assertEquals(Instant.parse("2026-01-01T01:40:00Z"), decision.scheduledTime());
    }

    @Test
    void anIrregularScheduleFindsTheLatestTime() {
        // Thursday and Friday 09:00 then the weekend: an estimate from the one-day interval overshoots
        CronJob cronJob = cronJob("0 9 * * 1-5", "Allow", null, "2025-12-31T09:00:00Z", null);
        Decision decision = CronJobScheduling.decide(cronJob, CronSchedule.parse("0 9 * * 1-5"), Instant.parse("2026-01-04T10:00:00Z"));
        assertEquals(Instant.parse("2026-01-02T09:00:00Z"), decision.scheduledTime());
    }

    @Test
    void jobNameIsMinutesSinceTheEpoch() {
        CronJob cronJob = cronJob("* * * * *", "Allow", null, null, null);
        assertEquals("tick-29429280", CronJobScheduling.jobName(cronJob, Instant.parse("2025-12-15T00:00:00Z")));
    }

    @Test
    void scheduledTimestampIsInTheCronJobsZone() {
        CronJob cronJob = cronJobInZone("0 9 * * *", "Asia/Tokyo");
        assertEquals("2026-01-01T09:00:00+09:00", CronJobScheduling.scheduledTimestamp(cronJob, Instant.parse("2026-01-01T00:00:00Z")));
        assertEquals("2026-01-01T00:00:00Z", CronJobScheduling.scheduledTimestamp(cronJob("* * * * *", "Allow", null, null, null),
                Instant.parse("2026-01-01T00:00:00Z")));
    }

    private static Job finished(String name, String condition, String start) {
        return new JobBuilder().withNewMetadata().withName(name).withCreationTimestamp(start).endMetadata()
                .withNewStatus().withStartTime(start).addNewCondition().withType(condition).withStatus("True").endCondition().endStatus()
                .build();
    }

    private static Job running(String name, String start) {
        return new JobBuilder().withNewMetadata().withName(name).withCreationTimestamp(start).endMetadata()
                .withNewStatus().withStartTime(start).endStatus().build();
    }

    static Stream<Arguments> history() {
        List<Job> jobs = List.of(
                finished("ok-1", "Complete", "2026-01-01T00:01:00Z"), finished("ok-2", "Complete", "2026-01-01T00:02:00Z"),
                finished("ok-3", "Complete", "2026-01-01T00:03:00Z"), finished("ok-4", "Complete", "2026-01-01T00:04:00Z"),
                finished("bad-1", "Failed", "2026-01-01T00:05:00Z"), finished("bad-2", "Failed", "2026-01-01T00:06:00Z"),
                running("run-1", "2026-01-01T00:00:00Z"));
        return Stream.of(
                argumentSet("defaults 3 and 1", jobs, 3, 1, List.of("ok-1", "bad-1")),
                argumentSet("keep none", jobs, 0, 0, List.of("ok-1", "ok-2", "ok-3", "ok-4", "bad-1", "bad-2")),
                argumentSet("room for all", jobs, 10, 10, List.of()));
    }

    @ParameterizedTest
    @MethodSource
    void history(List<Job> jobs, int successful, int failed, List<String> deleted) {
        assertEquals(deleted, CronJobScheduling.beyondHistory(jobs, successful, failed).stream().map(job -> job.getMetadata().getName()).toList());
    }
}
