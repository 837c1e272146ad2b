package io.quarkube.registry.batch;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.registry.FieldError;
import io.quarkube.registry.Strategy;
import io.quarkube.registry.pod.PodSpecDefaults;

/** CronJobs: history and concurrency defaults, a required schedule, a defaulted job template. */
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
        if (cronJob.path("spec").path("schedule").asText("").isBlank()) {
            errors.add(FieldError.required("spec.schedule"));
        }
        errors.addAll(JobStrategy.validatePodSpec("spec.jobTemplate.spec.template.spec",
                cronJob.path("spec").path("jobTemplate").path("spec").path("template").path("spec")));
        return errors;
    }
}
