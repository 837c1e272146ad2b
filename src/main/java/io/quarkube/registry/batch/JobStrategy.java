package io.quarkube.registry.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.registry.FieldError;
import io.quarkube.registry.Strategy;
import io.quarkube.registry.pod.PodSpecDefaults;

/** Jobs: completions/parallelism/backoff defaults and the generated controller-uid selector. */
public final class JobStrategy implements Strategy {

    static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";

    @Override
    public void prepareForCreate(ObjectNode job) {
        ObjectNode spec = Json.with(job, "spec");
        if (!spec.has("completions") && !spec.has("parallelism")) {
            spec.put("completions", 1);
            spec.put("parallelism", 1);
        }
        if (!spec.has("parallelism")) {
            spec.put("parallelism", 1);
        }
        if (!spec.has("backoffLimit")) {
            spec.put("backoffLimit", 6);
        }
        if (!spec.has("completionMode")) {
            spec.put("completionMode", "NonIndexed");
        }
        if (!spec.has("suspend")) {
            spec.put("suspend", false);
        }
        if (!spec.has("podReplacementPolicy")) {
            spec.put("podReplacementPolicy", "TerminatingOrFailed");
        }
        if (!spec.path("manualSelector").asBoolean(false)) {
            String uid = Json.with(job, "metadata").path("uid").asText(UUID.randomUUID().toString());
            String name = job.path("metadata").path("name").asText();
            ObjectNode labels = Json.with(spec, "template", "metadata", "labels");
            labels.put(CONTROLLER_UID, uid).put("batch.kubernetes.io/job-name", name)
                    .put("controller-uid", uid).put("job-name", name);
            Json.with(spec, "selector", "matchLabels").removeAll().put(CONTROLLER_UID, uid);
        }
        PodSpecDefaults.apply(Json.with(spec, "template", "spec"));
        job.remove("status");
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public List<FieldError> validate(ObjectNode job) {
        return validatePodSpec("spec.template.spec", job.path("spec").path("template").path("spec"));
    }

    /** A job's pods (also a cron job's) run to completion: they may not restart Always. */
    static List<FieldError> validatePodSpec(String path, JsonNode podSpec) {
        List<FieldError> errors = new ArrayList<>();
        String restart = podSpec.path("restartPolicy").asText();
        if (!restart.equals("OnFailure") && !restart.equals("Never")) {
            errors.add(FieldError.notSupported(path + ".restartPolicy", restart, List.of("OnFailure", "Never")));
        }
        errors.addAll(PodSpecDefaults.validate(path, podSpec));
        return errors;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode job, ObjectNode old) {
        List<FieldError> errors = new ArrayList<>(validate(job));
        if (!job.path("spec").path("selector").equals(old.path("spec").path("selector"))) {
            errors.add(FieldError.immutable("spec.selector"));
        }
        if (!job.path("spec").path("template").equals(old.path("spec").path("template"))) {
            errors.add(FieldError.immutable("spec.template"));
        }
        return errors;
    }
}
