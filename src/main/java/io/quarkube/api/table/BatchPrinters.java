package io.quarkube.api.table;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkube.api.table.Cells.ContainerCells;

/** batch/v1 kinds: jobs and cron jobs. */
final class BatchPrinters {

    private static final String JOB_SELECTOR = "A label query over pods that should match the pod count.";

    private BatchPrinters() {
    }

    static void registerAll(PrinterRegistry registry) {
        registry.register("batch", "Job", TablePrinter.of(List.of(
                Column.objectName(),
                Column.string("Status", "Status of the job."),
                Column.string("Completions", "The number of pods which reached phase Succeeded."),
                Column.string("Duration", "Time required to complete the job."),
                Column.age(),
                Column.containers(),
                Column.images(),
                Column.selector(JOB_SELECTOR)),
                BatchPrinters::job));
        registry.register("batch", "CronJob", TablePrinter.of(List.of(
                Column.objectName(),
                Column.string("Schedule", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
                Column.string("Timezone", "The time zone name for the given schedule."),
                Column.bool("Suspend", "This flag tells the controller to suspend subsequent executions."),
                Column.integer("Active", "A list of pointers to currently running jobs."),
                Column.string("Last Schedule", "Information when was the last time the job was successfully "
                        + "scheduled."),
                Column.age(),
                Column.containers(),
                Column.images(),
                Column.selector(JOB_SELECTOR)),
                BatchPrinters::cronJob));
    }

    private static List<Object> job(JsonNode job, Instant now) {
        ContainerCells containers = ContainerCells.of(job.at("/spec/template/spec"));
        return List.of(
                Cells.name(job),
                jobStatus(job),
                completions(job),
                duration(job, now),
                Times.age(job, now),
                containers.names(),
                containers.images(),
                Labels.formatSelector(job.at("/spec/selector")));
    }

    /** "Complete", "Failed", "Terminating", "Suspended", "FailureTarget" or "Running", in that precedence. */
    static String jobStatus(JsonNode job) {
        JsonNode conditions = job.at("/status/conditions");
        if (hasTrueCondition(conditions, "Complete")) {
            return "Complete";
        }
        if (hasTrueCondition(conditions, "Failed")) {
            return "Failed";
        }
        if (Times.parse(job.at("/metadata/deletionTimestamp")).isPresent()) {
            return "Terminating";
        }
        if (hasTrueCondition(conditions, "Suspended")) {
            return "Suspended";
        }
        if (hasTrueCondition(conditions, "FailureTarget")) {
            return "FailureTarget";
        }
        return "Running";
    }

    /** "1/3" succeeded of completions; without completions "1/1", or "0/1 of 3" for parallel work queues. */
    private static String completions(JsonNode job) {
        long succeeded = job.at("/status/succeeded").asLong();
        JsonNode completions = job.at("/spec/completions");
        if (completions.isNumber()) {
            return succeeded + "/" + completions.asLong();
        }
        long parallelism = job.at("/spec/parallelism").asLong();
        return parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
    }

    /** From start to completion, or to now while running; empty before the job starts. */
    private static String duration(JsonNode job, Instant now) {
        Optional<Instant> start = Times.parse(job.at("/status/startTime"));
        if (start.isEmpty()) {
            return "";
        }
        Instant end = Times.parse(job.at("/status/completionTime")).orElse(now);
        return HumanDuration.format(Duration.between(start.get(), end));
    }

    private static boolean hasTrueCondition(JsonNode conditions, String type) {
        for (JsonNode condition : conditions) {
            if (type.equals(condition.path("type").asText())) {
                return "True".equals(condition.path("status").asText());
            }
        }
        return false;
    }

    private static List<Object> cronJob(JsonNode cronJob, Instant now) {
        JsonNode spec = cronJob.path("spec");
        JsonNode lastSchedule = cronJob.at("/status/lastScheduleTime");
        ContainerCells containers = ContainerCells.of(spec.at("/jobTemplate/spec/template/spec"));
        return List.of(
                Cells.name(cronJob),
                spec.path("schedule").asText(),
                Cells.text(spec.path("timeZone"), Cells.NONE),
                Cells.boolOrUnset(spec.path("suspend")),
                Cells.size(cronJob.at("/status/active")),
                Times.parse(lastSchedule).isPresent() ? Times.since(lastSchedule, now) : Cells.NONE,
                Times.age(cronJob, now),
                containers.names(),
                containers.images(),
                Labels.formatSelector(spec.at("/jobTemplate/spec/selector")));
    }
}
