package io.quarkube.controllers.cronjob;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.quarkube.cron.CronSchedule;

/**
 * What a CronJob should do at a moment, as kube-controller-manager's cronjob controller decides
 * it: which scheduled time is due, whether it is too late for it, already run, held back by
 * Forbid, or replaces running Jobs; and which finished Jobs fall out of the history. Pure
 * functions of the CronJob, its Jobs and the time.
 */
final class CronJobScheduling {

    /** kube's bound: more missed times than this are not listed, only the latest runs, with an event. */
    static final int MANY_MISSED = 100;
    /** kube looks again this long after the next scheduled time. */
    static final Duration NEXT_SCHEDULE_DELTA = Duration.ofMillis(100);

    enum Action {
        /** No scheduled time has passed since the last run. */
        NOTHING_DUE,
        /** The latest due time is older than startingDeadlineSeconds. */
        MISSED_DEADLINE,
        /** The latest due time was run already. */
        ALREADY_RUN,
        /** concurrencyPolicy Forbid and a Job still runs. */
        FORBIDDEN,
        CREATE,
        /** concurrencyPolicy Replace: delete the running Jobs, then create. */
        REPLACE_AND_CREATE
    }

    /**
     * @param scheduledTime the latest due time (null when none)
     * @param tooManyMissed more than {@link #MANY_MISSED} times were missed
     * @param nextCheck     when to look again (null when the schedule never fires again)
     */
    record Decision(Action action, Instant scheduledTime, boolean tooManyMissed, Instant nextCheck) {
    }

    /** The latest due time and whether many were missed. */
    record MostRecent(Instant earliest, Instant time, boolean tooManyMissed) {
    }

    private CronJobScheduling() {
    }

    static ZoneId zone(CronJob cronJob) {
        String timeZone = cronJob.getSpec().getTimeZone();
        return timeZone == null ? ZoneOffset.UTC : ZoneId.of(timeZone);
    }

    static Decision decide(CronJob cronJob, CronSchedule schedule, Instant now) {
        ZoneId zone = zone(cronJob);
        MostRecent recent = mostRecent(cronJob, schedule, zone, now, true);
        Instant nextCheck = nextCheck(cronJob, schedule, zone, now);
        if (recent.time() == null) {
            return new Decision(Action.NOTHING_DUE, null, recent.tooManyMissed(), nextCheck);
        }
        Instant scheduled = recent.time();
        Long startingDeadline = cronJob.getSpec().getStartingDeadlineSeconds();
        if (startingDeadline != null && scheduled.plusSeconds(startingDeadline).isBefore(now)) {
            return new Decision(Action.MISSED_DEADLINE, scheduled, recent.tooManyMissed(), nextCheck);
        }
        String name = jobName(cronJob, scheduled);
        var status = cronJob.getStatus();
        boolean activeByName = status != null && status.getActive() != null
                && status.getActive().stream().anyMatch(ref -> name.equals(ref.getName()));
        boolean sameAsLast = status != null && status.getLastScheduleTime() != null
                && Instant.parse(status.getLastScheduleTime()).equals(scheduled);
        if (activeByName || sameAsLast) {
            return new Decision(Action.ALREADY_RUN, scheduled, recent.tooManyMissed(), nextCheck);
        }
        boolean anyActive = status != null && status.getActive() != null && !status.getActive().isEmpty();
        String policy = Objects.requireNonNullElse(cronJob.getSpec().getConcurrencyPolicy(), "Allow");
        if ("Forbid".equals(policy) && anyActive) {
            return new Decision(Action.FORBIDDEN, scheduled, recent.tooManyMissed(), nextCheck);
        }
        Action create = "Replace".equals(policy) && anyActive ? Action.REPLACE_AND_CREATE : Action.CREATE;
        return new Decision(create, scheduled, recent.tooManyMissed(), nextCheck);
    }

    /**
     * kube's mostRecentScheduleTime: from the last schedule time (or the creation time), moved up to
     * now - startingDeadlineSeconds when that is later, the latest scheduled time not after now.
     * Like kube it estimates the number missed from the interval between the first two times
     * rather than listing them all.
     */
    static MostRecent mostRecent(CronJob cronJob, CronSchedule schedule, ZoneId zone, Instant now, boolean withStartingDeadline) {
        Instant earliest = earliest(cronJob);
        Long startingDeadline = cronJob.getSpec().getStartingDeadlineSeconds();
        if (withStartingDeadline && startingDeadline != null) {
            Instant deadline = now.minusSeconds(startingDeadline);
            if (deadline.isAfter(earliest)) {
                earliest = deadline;
            }
        }
        Instant t1 = next(schedule, earliest, zone);
        if (t1 == null || t1.isAfter(now)) {
            return new MostRecent(earliest, null, false);
        }
        Instant t2 = next(schedule, t1, zone);
        if (t2 == null || t2.isAfter(now)) {
            return new MostRecent(earliest, t1, false);
        }
        long interval = Math.max(1, Duration.between(t1, t2).toSeconds());
        long missed = Duration.between(t1, now).toSeconds() / interval + 1;
        // start a little before the estimate and let the schedule find the exact latest time
        Instant latest = latestUpTo(schedule, zone, t1.plusSeconds(Math.max(0, missed - 2) * interval), now);
        if (latest == null) {
            // the estimate overshot (an irregular schedule such as weekdays only): walk from the first time
            latest = Objects.requireNonNullElse(latestUpTo(schedule, zone, t1, now), t1);
        }
        return new MostRecent(earliest, latest, missed > MANY_MISSED);
    }

    private static Instant latestUpTo(CronSchedule schedule, ZoneId zone, Instant from, Instant now) {
        Instant latest = null;
        for (Instant t = next(schedule, from, zone); t != null && !t.isAfter(now); t = next(schedule, t, zone)) {
            latest = t;
        }
        return latest;
    }

    /** kube looks again 100 ms after the next scheduled time following the latest due one (or the earliest). */
    static Instant nextCheck(CronJob cronJob, CronSchedule schedule, ZoneId zone, Instant now) {
        MostRecent recent = mostRecent(cronJob, schedule, zone, now, false);
        Instant from = recent.time() != null ? recent.time() : recent.earliest();
        Instant next = next(schedule, from, zone);
        while (next != null && !next.isAfter(now)) {
            next = next(schedule, next, zone);
        }
        return next == null ? null : next.plus(NEXT_SCHEDULE_DELTA);
    }

    private static Instant earliest(CronJob cronJob) {
        var status = cronJob.getStatus();
        if (status != null && status.getLastScheduleTime() != null) {
            return Instant.parse(status.getLastScheduleTime());
        }
        return Instant.parse(cronJob.getMetadata().getCreationTimestamp());
    }

    private static Instant next(CronSchedule schedule, Instant after, ZoneId zone) {
        ZonedDateTime next = schedule.next(after.atZone(zone), zone);
        return next == null ? null : next.toInstant();
    }

    /** kube's Job name: the CronJob's name and the scheduled time in minutes since the epoch. */
    static String jobName(CronJob cronJob, Instant scheduled) {
        return cronJob.getMetadata().getName() + "-" + scheduled.getEpochSecond() / 60;
    }

    /** The value of batch.kubernetes.io/cronjob-scheduled-timestamp: RFC 3339 in the CronJob's zone. */
    static String scheduledTimestamp(CronJob cronJob, Instant scheduled) {
        return java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(scheduled.atZone(zone(cronJob)).toOffsetDateTime());
    }

    /**
     * Finished Jobs beyond the history limits, oldest first: successful ones past
     * successfulJobsHistoryLimit, failed ones past failedJobsHistoryLimit.
     */
    static List<Job> beyondHistory(List<Job> jobs, int successfulLimit, int failedLimit) {
        List<Job> doomed = new ArrayList<>();
        doomed.addAll(oldestBeyond(jobs.stream().filter(job -> hasCondition(job, "Complete")).toList(), successfulLimit));
        doomed.addAll(oldestBeyond(jobs.stream().filter(job -> hasCondition(job, "Failed")).toList(), failedLimit));
        return doomed;
    }

    private static List<Job> oldestBeyond(List<Job> finished, int limit) {
        if (finished.size() <= limit) {
            return List.of();
        }
        Comparator<Job> byStart = Comparator.comparing(CronJobScheduling::startedAt);
        return finished.stream().sorted(byStart).limit(finished.size() - Math.max(0, limit)).toList();
    }

    private static String startedAt(Job job) {
        if (job.getStatus() != null && job.getStatus().getStartTime() != null) {
            return job.getStatus().getStartTime();
        }
        return Objects.requireNonNullElse(job.getMetadata().getCreationTimestamp(), "");
    }

    static boolean hasCondition(Job job, String type) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return false;
        }
        for (JobCondition condition : job.getStatus().getConditions()) {
            if (type.equals(condition.getType()) && "True".equals(condition.getStatus())) {
                return true;
            }
        }
        return false;
    }

    static boolean isFinished(Job job) {
        return hasCondition(job, "Complete") || hasCondition(job, "Failed");
    }
}
