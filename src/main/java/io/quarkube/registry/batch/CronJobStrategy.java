package io.quarkube.registry.batch;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.cron.CronSchedule;
import io.quarkube.json.Json;
import io.quarkube.registry.FieldError;
import io.quarkube.registry.Strategy;
import io.quarkube.registry.pod.PodSpecDefaults;

/** CronJobs: history and concurrency defaults, a valid cron schedule and IANA time zone, a defaulted job template. */
public final class CronJobStrategy implements Strategy {

    @Override
    public void prepareForCreate(ObjectNode cronJob) {
        ObjectNode spec = Json.with(cronJob, "spec");
        if (!spec.has("concurrencyPolicy")) {
            spec.put("concurrencyPolicy", "Allow");
        }
        if (!spec.has("suspend")) {
            spec.put("suspend", false);
        }
        if (!spec.has("successfulJobsHistoryLimit")) {
            spec.put("successfulJobsHistoryLimit", 3);
        }
        if (!spec.has("failedJobsHistoryLimit")) {
            spec.put("failedJobsHistoryLimit", 1);
        }
        ObjectNode jobSpec = Json.with(spec, "jobTemplate", "spec");
        if (!jobSpec.has("backoffLimit")) {
            jobSpec.put("backoffLimit", 6);
        }
        PodSpecDefaults.apply(Json.with(jobSpec, "template", "spec"));
        cronJob.remove("status");
    }

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old) {
        PodSpecDefaults.apply(Json.with(object, "spec", "jobTemplate", "spec", "template", "spec"));
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public List<FieldError> validate(ObjectNode cronJob) {
        List<FieldError> errors = new ArrayList<>();
        String schedule = cronJob.path("spec").path("schedule").asText("");
        if (schedule.isBlank()) {
            errors.add(FieldError.required("spec.schedule"));
        } else {
            try {
                CronSchedule.parse(schedule);
            } catch (IllegalArgumentException e) {
                errors.add(FieldError.invalid("spec.schedule", schedule, e.getMessage()));
            }
        }
        JsonNode timeZone = cronJob.path("spec").path("timeZone");
        if (timeZone.isTextual() && !isTimeZone(timeZone.asText())) {
            errors.add(FieldError.invalid("spec.timeZone", timeZone.asText(), "unknown time zone " + timeZone.asText()));
        }
        errors.addAll(JobStrategy.validatePodSpec("spec.jobTemplate.spec.template.spec",
                cronJob.path("spec").path("jobTemplate").path("spec").path("template").path("spec")));
        return errors;
    }

    /** An IANA zone name, as kube accepts (Go's LoadLocation of the tz database): no offsets, no "Local". */
    static boolean isTimeZone(String name) {
        if (name.isEmpty() || name.equals("Local") || !name.matches("[A-Za-z0-9_+\\-]+(/[A-Za-z0-9_+\\-]+)*")) {
            return false;
        }
        return ZoneId.getAvailableZoneIds().contains(name);
    }
}
