package io.quarkube.controllers.job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.quarkube.json.Json;

/** A Job's pods as kube builds them: from the template, tracked, owned, indexed for an Indexed Job; and which to add or remove. */
final class JobPods {

    private JobPods() {
    }

    /**
     * The completion index of each pod to create: for an Indexed Job the lowest indexes neither
     * completed nor running, else -1 (no index) for each.
     */
    static List<Integer> indexesToStart(Job job, JobStatus status, List<Pod> active, int count) {
        List<Integer> indexes = new ArrayList<>();
        if (!isIndexed(job)) {
            for (int i = 0; i < count; i++) {
                indexes.add(-1);
            }
            return indexes;
        }
        Set<Integer> taken = new HashSet<>(CompletionIndexes.parse(status.getCompletedIndexes()));
        active.forEach(pod -> taken.add(CompletionIndexes.of(pod)));
        for (int index = 0; index < Objects.requireNonNullElse(job.getSpec().getCompletions(), 0) && indexes.size() < count; index++) {
            if (!taken.contains(index)) {
                indexes.add(index);
            }
        }
        return indexes;
    }

    static boolean isIndexed(Job job) {
        return "Indexed".equals(job.getSpec().getCompletionMode());
    }

    /**
     * A pod from the template (its labels carry job-name and controller-uid), owned and tracked by
     * the Job. With a completion index (0 or more) it is named, annotated, labelled and given a
     * hostname and JOB_COMPLETION_INDEX as kube does for Indexed Jobs.
     */
    static Pod podFrom(Job job, int index) {
        Pod pod = new Pod();
        ObjectMeta template = job.getSpec().getTemplate().getMetadata();
        ObjectMeta metadata = new ObjectMeta();
        String jobName = job.getMetadata().getName();
        metadata.setGenerateName(index >= 0 ? jobName + "-" + index + "-" : jobName + "-");
        metadata.setNamespace(job.getMetadata().getNamespace());
        List<String> finalizers = new ArrayList<>();
        java.util.Map<String, String> labels = new java.util.HashMap<>();
        java.util.Map<String, String> annotations = new java.util.HashMap<>();
        if (template != null) {
            labels.putAll(Objects.requireNonNullElse(template.getLabels(), java.util.Map.of()));
            annotations.putAll(Objects.requireNonNullElse(template.getAnnotations(), java.util.Map.of()));
            if (template.getFinalizers() != null) {
                finalizers.addAll(template.getFinalizers());
            }
        }
        finalizers.add(JobController.TRACKING_FINALIZER);
        metadata.setFinalizers(finalizers);
        if (index >= 0) {
            labels.put(CompletionIndexes.ANNOTATION, Integer.toString(index));
            annotations.put(CompletionIndexes.ANNOTATION, Integer.toString(index));
        }
        metadata.setLabels(labels.isEmpty() ? null : labels);
        metadata.setAnnotations(annotations.isEmpty() ? null : annotations);
        metadata.setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                .withName(job.getMetadata().getName()).withUid(job.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build()));
        pod.setMetadata(metadata);
        pod.setSpec(job.getSpec().getTemplate().getSpec());
        if (index >= 0) {
            PodSpec spec = Json.MAPPER.convertValue(Json.MAPPER.valueToTree(pod.getSpec()), PodSpec.class);
            spec.setHostname(jobName + "-" + index);
            EnvVar indexVariable = new EnvVarBuilder().withName("JOB_COMPLETION_INDEX").withNewValueFrom().withNewFieldRef()
                    .withFieldPath("metadata.annotations['" + CompletionIndexes.ANNOTATION + "']").endFieldRef().endValueFrom().build();
            for (Container container : concat(spec.getInitContainers(), spec.getContainers())) {
                List<EnvVar> env = new ArrayList<>(Objects.requireNonNullElse(container.getEnv(), List.of()));
                env.add(0, indexVariable);
                container.setEnv(env);
            }
            pod.setSpec(spec);
        }
        return pod;
    }

    private static List<Container> concat(List<Container> first, List<Container> second) {
        List<Container> all = new ArrayList<>(Objects.requireNonNullElse(first, List.of()));
        all.addAll(Objects.requireNonNullElse(second, List.of()));
        return all;
    }

    /** Active pods to delete when there are too many: not ready before ready, newest first. */
    static List<Pod> extras(List<Pod> active, int count) {
        Comparator<Pod> order = Comparator.<Pod, Boolean> comparing(JobController::isReady)
                .thenComparing(Comparator.comparing((Pod pod) -> Objects.requireNonNullElse(pod.getMetadata().getCreationTimestamp(), "")).reversed());
        return active.stream().sorted(order).limit(count).toList();
    }

}
