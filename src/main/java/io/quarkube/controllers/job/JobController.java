package io.quarkube.controllers.job;

import static io.quarkube.controllers.runtime.Owners.controllerOf;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPods;
import io.quarkube.client.ApiClient;
import io.quarkube.client.EventRecorder;
import io.quarkube.client.Informer;
import io.quarkube.controllers.runtime.Controller;
import io.quarkube.controllers.runtime.ObjectRef;
import io.quarkube.controllers.runtime.Reconciler;
import io.quarkube.controllers.runtime.Result;
import io.quarkube.controllers.runtime.Watches;
import io.quarkube.json.Timestamps;
import io.quarkube.leaderelection.LeaderElectionConfig;
import io.quarkube.leaderelection.LeaderElector;
import io.quarkube.registry.DeleteOptions;
import io.quarkube.registry.GenericStore.Part;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Runs each Job's pods to completion, as kube-controller-manager's job controller does: keeps
 * {@code min(parallelism, completions - succeeded)} pods active, counts finished pods into
 * status.succeeded/failed, fails the Job past backoffLimit or activeDeadlineSeconds, completes it
 * once enough pods succeeded, and honours suspend; failed pods are replaced after kube's back-off.
 * (ttlSecondsAfterFinished is the TtlAfterFinishedController's, as in kube.) An Indexed Job
 * runs one pod per completion index and records the indexes done in status.completedIndexes.
 * <p>
 * Pods carry the {@code batch.kubernetes.io/job-tracking} finalizer until they are counted, so a
 * finished pod deleted by anyone is still counted exactly once: a finished pod's uid goes into
 * status.uncountedTerminatedPods first, then its finalizer goes, then the uid moves into the count.
 */
@ApplicationScoped
public class JobController implements Controller, Reconciler {

    static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
    static final int BURST = 500;

    @Inject
    ApiClient api;
    @Inject
    Vertx vertx;
    @Inject
    LeaderElectionConfig leaderElection;

    /** kube's pod failure back-off: 10 s, doubling per failure since the last success, at most 10 min. */
    static final Duration FAILURE_BACKOFF = Duration.ofSeconds(10);
    static final Duration MAX_FAILURE_BACKOFF = Duration.ofMinutes(10);

    /** Failures since the last success and when the last was counted, per Job uid (kept in memory, as kube does). */
    record BackoffRecord(int failures, Instant lastFailure) {
    }

    private final java.util.Map<String, BackoffRecord> backoffs = new java.util.concurrent.ConcurrentHashMap<>();
    private Clock clock = Clock.systemUTC();
    private EventRecorder events;
    private Informer<Job> jobs;
    private Informer<Pod> pods;
    private Watches watches;

    void setClock(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "job-controller";
    }

    @Override
    public Uni<Void> start() {
        events = new EventRecorder(api, name(), LeaderElector.identity(leaderElection));
        watches = new Watches(name(), this, api, vertx, 5);
        pods = watches.owns(Pod.class, "Job");
        jobs = watches.forKind(Job.class);
        return watches.start();
    }

    @Override
    public void stop() {
        if (watches != null) {
            watches.stop();
        }
    }

    @Override
    public Uni<Result> reconcile(ObjectRef key) {
        Job job = jobs.get(key.namespace(), key.name());
        if (job == null) {
            backoffs.keySet().removeIf(uid -> jobs.list(j -> uid.equals(j.getMetadata().getUid())).isEmpty());
            return releaseOrphans(key).replaceWith(Result.done());
        }
        String uid = job.getMetadata().getUid();
        List<Pod> owned = pods.list(pod -> key.namespace().equals(pod.getMetadata().getNamespace())
                && controllerOf(pod.getMetadata()) != null && uid.equals(controllerOf(pod.getMetadata()).getUid()));
        return count(job, owned).flatMap(counted -> converge(key, counted));
    }

    /** Pods whose Job is gone keep no tracking finalizer (else a background deletion would never end). */
    private Uni<Void> releaseOrphans(ObjectRef key) {
        List<Uni<Pod>> releases = new ArrayList<>();
        for (Pod pod : pods.list(p -> key.namespace().equals(p.getMetadata().getNamespace()) && hasFinalizer(p))) {
            OwnerReference controller = controllerOf(pod.getMetadata());
            if (controller != null && "Job".equals(controller.getKind()) && key.name().equals(controller.getName())) {
                releases.add(removeFinalizer(pod));
            }
        }
        return api.settle(releases).replaceWithVoid();
    }

    /**
     * Counts every finished (or terminating) pod still holding the finalizer: records its uid as
     * uncounted, removes the finalizer, then moves the uncounted uids into succeeded/failed.
     * Completes with the Job as it stands afterwards.
     */
    private Uni<Job> count(Job job, List<Pod> owned) {
        UncountedTerminatedPods uncounted = uncounted(job);
        Set<String> succeeded = new HashSet<>(uncounted.getSucceeded());
        Set<String> failed = new HashSet<>(uncounted.getFailed());
        java.util.TreeSet<Integer> completedIndexes = new java.util.TreeSet<>();
        List<Pod> toRelease = new ArrayList<>();
        for (Pod pod : owned) {
            if (!hasFinalizer(pod) || !(isFinished(pod) || isTerminating(pod))) {
                continue;
            }
            String podUid = pod.getMetadata().getUid();
            if ("Succeeded".equals(phase(pod))) {
                succeeded.add(podUid);
                int index = CompletionIndexes.of(pod);
                if (JobPods.isIndexed(job) && index >= 0 && index < zero(job.getSpec().getCompletions())) {
                    completedIndexes.add(index);
                }
            } else {
                failed.add(podUid);
            }
            toRelease.add(pod);
        }
        if (succeeded.isEmpty() && failed.isEmpty()) {
            return Uni.createFrom().item(job);
        }
        boolean grew = succeeded.size() > uncounted.getSucceeded().size() || failed.size() > uncounted.getFailed().size();
        Uni<Job> recorded = grew
                ? writeStatus(job, status -> {
                    status.setUncountedTerminatedPods(new UncountedTerminatedPods(List.copyOf(failed), List.copyOf(succeeded)));
                    if (JobPods.isIndexed(job)) {
                        // recorded with the uids, in one write, so an index is never lost nor counted twice
                        java.util.TreeSet<Integer> indexes = CompletionIndexes.parse(status.getCompletedIndexes());
                        indexes.addAll(completedIndexes);
                        status.setCompletedIndexes(CompletionIndexes.format(indexes));
                    }
                })
                : Uni.createFrom().item(job);
        return recorded.flatMap(ignored -> api.settle(toRelease.stream().map(this::removeFinalizer).toList()))
                .invoke(ignored -> recordOutcomes(job, toRelease))
                .flatMap(ignored -> writeStatus(job, status -> {
                    UncountedTerminatedPods now = status.getUncountedTerminatedPods() == null ? new UncountedTerminatedPods()
                            : status.getUncountedTerminatedPods();
                    status.setSucceeded(JobPods.isIndexed(job) ? CompletionIndexes.parse(status.getCompletedIndexes()).size()
                            : zero(status.getSucceeded()) + now.getSucceeded().size());
                    status.setFailed(zero(status.getFailed()) + now.getFailed().size());
                    status.setUncountedTerminatedPods(new UncountedTerminatedPods());
                }));
    }

    private Uni<Result> converge(ObjectRef key, Job job) {
        if (job == null) {
            return Uni.createFrom().item(Result.done());
        }
        String uid = job.getMetadata().getUid();
        Instant now = clock.instant();
        JobStatus status = job.getStatus() == null ? new JobStatus() : job.getStatus();
        List<Pod> owned = pods.list(pod -> key.namespace().equals(pod.getMetadata().getNamespace())
                && controllerOf(pod.getMetadata()) != null && uid.equals(controllerOf(pod.getMetadata()).getUid()));
        List<Pod> active = owned.stream().filter(JobController::isActive).toList();
        boolean podsPending = owned.stream().anyMatch(JobController::hasFinalizer);

        if (isFinished(job)) {
            backoffs.remove(uid);
            return deletePods(job, active).replaceWith(Result.done());
        }
        if (job.getMetadata().getDeletionTimestamp() != null) {
            return Uni.createFrom().item(Result.done());
        }

        int succeeded = zero(status.getSucceeded());
        int failed = zero(status.getFailed());
        JobCondition failureTarget = condition(status, "FailureTarget");
        JobCondition successTarget = condition(status, "SuccessCriteriaMet");
        boolean suspended = Boolean.TRUE.equals(job.getSpec().getSuspend());

        if (failureTarget == null && successTarget == null && !suspended) {
            FailureCause cause = failureCause(job, status, active, now);
            if (cause != null) {
                return writeStatus(job, s -> setCondition(s, "FailureTarget", cause.reason(), cause.message(), now))
                        .call(ignored -> events.warning(job, cause.reason(), null, cause.message()))
                        .flatMap(ignored -> deletePods(job, active)).replaceWith(Result.done());
            }
            if (completionsReached(job, succeeded, active.size())) {
                return writeStatus(job, s -> setCondition(s, "SuccessCriteriaMet", "CompletionsReached",
                        "Reached expected number of succeeded pods", now))
                        .flatMap(ignored -> deletePods(job, active)).replaceWith(Result.done());
            }
        }
        if (failureTarget != null || successTarget != null) {
            // the outcome is decided: finish once every pod has been counted
            if (!active.isEmpty() || podsPending) {
                return deletePods(job, active).replaceWith(Result.done());
            }
            Uni<Job> finished = failureTarget != null
                    ? writeStatus(job, s -> setCondition(s, "Failed", failureTarget.getReason(), failureTarget.getMessage(), now))
                    : writeStatus(job, s -> {
                        setCondition(s, "Complete", "CompletionsReached", "Reached expected number of succeeded pods", now);
                        s.setCompletionTime(Timestamps.of(now));
                        s.setActive(0);
                        s.setReady(0);
                    }).call(done -> events.normal(job, "Completed", null, "Job completed"));
            return finished.replaceWith(Result.done());
        }

        if (suspended) {
            return deletePods(job, active).flatMap(ignored -> {
                JobCondition current = condition(status, "Suspended");
                if (current != null && "True".equals(current.getStatus()) && zero(status.getActive()) == 0) {
                    return Uni.createFrom().item(Result.done());
                }
                return writeStatus(job, s -> {
                    setCondition(s, "Suspended", "JobSuspended", "Job suspended", now);
                    s.setActive(0);
                    s.setReady(0);
                }).call(ignored2 -> current == null || !"True".equals(current.getStatus())
                        ? events.normal(job, "Suspended", null, "Job suspended") : Uni.createFrom().voidItem())
                        .replaceWith(Result.done());
            });
        }

        JobCondition suspendedCondition = condition(status, "Suspended");
        boolean resumed = suspendedCondition != null && "True".equals(suspendedCondition.getStatus());
        int wanted = wantedActive(job, succeeded);
        int diff = wanted - active.size();
        Uni<List<Pod>> changes;
        Duration backoffLeft = backoffLeft(uid, now);
        if (diff > 0 && backoffLeft != null) {
            // a replacement waits out the back-off after failures
            changes = Uni.createFrom().item(List.of());
        } else if (diff > 0) {
            changes = createPods(job, JobPods.indexesToStart(job, status, active, Math.min(diff, BURST)));
        } else if (diff < 0) {
            changes = deletePods(job, JobPods.extras(active, -diff));
        } else {
            changes = Uni.createFrom().item(List.of());
        }
        return changes.flatMap(ignored -> {
            List<Pod> nowActive = pods.list(pod -> key.namespace().equals(pod.getMetadata().getNamespace())
                    && controllerOf(pod.getMetadata()) != null && uid.equals(controllerOf(pod.getMetadata()).getUid())
                    && isActive(pod));
            int ready = (int) nowActive.stream().filter(JobController::isReady).count();
            boolean needsStart = status.getStartTime() == null || resumed;
            boolean changed = needsStart || resumed || zero(status.getActive()) != nowActive.size()
                    || !Objects.equals(status.getReady(), ready);
            Uni<Job> written = !changed ? Uni.createFrom().item(job) : writeStatus(job, s -> {
                if (needsStart) {
                    s.setStartTime(Timestamps.of(now));
                }
                if (resumed) {
                    setCondition(s, "Suspended", "JobResumed", "Job resumed", now);
                }
                s.setActive(nowActive.size());
                s.setReady(ready);
            }).call(ignored2 -> resumed ? events.normal(job, "Resumed", null, "Job resumed") : Uni.createFrom().voidItem());
            return written.map(latest -> {
                Result deadline = untilDeadline(latest, clock.instant());
                if (diff > 0 && backoffLeft != null && (!deadline.requeue() || backoffLeft.compareTo(deadline.requeueAfter()) < 0)) {
                    return Result.requeueAfter(backoffLeft.plusMillis(50));
                }
                return deadline;
            });
        });
    }

    /** Counts newly finished pods into the back-off record: a failure adds one, a success clears it. */
    private void recordOutcomes(Job job, List<Pod> finished) {
        String uid = job.getMetadata().getUid();
        for (Pod pod : finished) {
            if ("Succeeded".equals(phase(pod))) {
                backoffs.remove(uid);
            } else {
                backoffs.merge(uid, new BackoffRecord(1, clock.instant()),
                        (old, added) -> new BackoffRecord(old.failures() + 1, added.lastFailure()));
            }
        }
    }

    /** How long new pods must still wait after the last failure; null when they need not. */
    private Duration backoffLeft(String uid, Instant now) {
        BackoffRecord record = backoffs.get(uid);
        if (record == null) {
            return null;
        }
        Duration left = Duration.between(now, record.lastFailure().plus(failureBackoff(record.failures())));
        return left.isNegative() || left.isZero() ? null : left;
    }

    /** 10 s for the first failure, doubling for each further one, at most 10 min. */
    static Duration failureBackoff(int failures) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        Duration delay = FAILURE_BACKOFF.multipliedBy(1L << Math.min(failures - 1, 20));
        return delay.compareTo(MAX_FAILURE_BACKOFF) > 0 ? MAX_FAILURE_BACKOFF : delay;
    }

    /** Another look when the active deadline will pass. */
    private static Result untilDeadline(Job job, Instant now) {
        Long deadline = job == null ? null : job.getSpec().getActiveDeadlineSeconds();
        if (deadline == null || job.getStatus() == null || job.getStatus().getStartTime() == null) {
            return Result.done();
        }
        Instant end = Instant.parse(job.getStatus().getStartTime()).plusSeconds(deadline);
        Duration left = Duration.between(now, end);
        return Result.requeueAfter(left.isNegative() ? Duration.ofMillis(1) : left.plusMillis(50));
    }

    record FailureCause(String reason, String message) {
    }

    /**
     * Why the Job fails now, or null: more failures than backoffLimit (for OnFailure pods, container
     * restarts of active pods count too, as in kube), or active past activeDeadlineSeconds.
     */
    static FailureCause failureCause(Job job, JobStatus status, List<Pod> active, Instant now) {
        int backoffLimit = Objects.requireNonNullElse(job.getSpec().getBackoffLimit(), 6);
        int failures = zero(status.getFailed());
        if ("OnFailure".equals(job.getSpec().getTemplate().getSpec().getRestartPolicy())) {
            failures += active.stream().mapToInt(JobController::restarts).sum();
        }
        if (failures > backoffLimit) {
            return new FailureCause("BackoffLimitExceeded", "Job has reached the specified backoff limit");
        }
        Long deadline = job.getSpec().getActiveDeadlineSeconds();
        if (deadline != null && status.getStartTime() != null
                && !now.isBefore(Instant.parse(status.getStartTime()).plusSeconds(deadline))) {
            return new FailureCause("DeadlineExceeded", "Job was active longer than specified deadline");
        }
        return null;
    }

    /** Enough pods succeeded: completions of them, or (no completions: a work queue) one with none still running. */
    static boolean completionsReached(Job job, int succeeded, int active) {
        Integer completions = job.getSpec().getCompletions();
        if (completions == null) {
            return succeeded > 0 && active == 0;
        }
        return succeeded >= completions;
    }

    /** Pods to keep running: parallelism, but no more than the completions still missing. */
    static int wantedActive(Job job, int succeeded) {
        int parallelism = Objects.requireNonNullElse(job.getSpec().getParallelism(), 1);
        Integer completions = job.getSpec().getCompletions();
        if (completions == null) {
            return succeeded > 0 ? 0 : parallelism;
        }
        return Math.max(0, Math.min(parallelism, completions - succeeded));
    }

    private Uni<List<Pod>> createPods(Job job, List<Integer> indexes) {
        List<Uni<Pod>> creates = new ArrayList<>();
        for (int index : indexes) {
            creates.add(api.create(JobPods.podFrom(job, index))
                    .call(pod -> events.normal(job, "SuccessfulCreate", null, "Created pod: " + pod.getMetadata().getName()))
                    .onFailure().call(failure -> events.warning(job, "FailedCreate", null, "Error creating: " + failure.getMessage())));
        }
        return api.settle(creates);
    }

    private Uni<List<Pod>> deletePods(Job job, List<Pod> victims) {
        List<Uni<Pod>> deletes = new ArrayList<>();
        for (Pod pod : victims) {
            deletes.add(api.deleteObject(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                    new DeleteOptions(false, null, null, pod.getMetadata().getUid(), null))
                    .call(deleted -> events.normal(job, "SuccessfulDelete", null, "Deleted pod: " + pod.getMetadata().getName())));
        }
        return api.settle(deletes);
    }

    private Uni<Pod> removeFinalizer(Pod pod) {
        return api.modify(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), Part.MAIN, current -> {
            if (current.getMetadata().getFinalizers() != null) {
                current.getMetadata().setFinalizers(current.getMetadata().getFinalizers().stream()
                        .filter(finalizer -> !TRACKING_FINALIZER.equals(finalizer)).toList());
            }
            return current;
        }).onFailure(ApiClient::isNotFound).recoverWithNull();
    }

    /** Changes the Job's status (on the latest Job) and waits until the informer has seen it; null when the Job is gone. */
    private Uni<Job> writeStatus(Job job, java.util.function.Consumer<JobStatus> change) {
        return api.modify(Job.class, job.getMetadata().getNamespace(), job.getMetadata().getName(), Part.STATUS, latest -> {
            if (latest.getStatus() == null) {
                latest.setStatus(new JobStatus());
            }
            change.accept(latest.getStatus());
            return latest;
        }).call(written -> api.awaitObserved(List.of(written)))
                .onFailure(ApiClient::isNotFound).recoverWithNull();
    }


    static void setCondition(JobStatus status, String type, String reason, String message, Instant now) {
        List<JobCondition> conditions = new ArrayList<>(Objects.requireNonNullElse(status.getConditions(), List.of()));
        String time = Timestamps.of(now);
        JobCondition existing = conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
        boolean wantTrue = !"JobResumed".equals(reason);
        String value = wantTrue ? "True" : "False";
        if (existing == null) {
            conditions.add(new JobCondition(time, time, message, reason, value, type));
        } else {
            if (!value.equals(existing.getStatus())) {
                existing.setLastTransitionTime(time);
            }
            existing.setStatus(value);
            existing.setReason(reason);
            existing.setMessage(message);
            existing.setLastProbeTime(time);
        }
        status.setConditions(conditions);
    }

    static JobCondition condition(JobStatus status, String type) {
        if (status == null || status.getConditions() == null) {
            return null;
        }
        return status.getConditions().stream().filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
                .findFirst().orElse(null);
    }

    /** Complete or Failed: nothing more to run. */
    static boolean isFinished(Job job) {
        return condition(job.getStatus(), "Complete") != null || condition(job.getStatus(), "Failed") != null;
    }

    private static UncountedTerminatedPods uncounted(Job job) {
        UncountedTerminatedPods uncounted = job.getStatus() == null ? null : job.getStatus().getUncountedTerminatedPods();
        return uncounted == null ? new UncountedTerminatedPods() : uncounted;
    }

    static boolean hasFinalizer(Pod pod) {
        return pod.getMetadata().getFinalizers() != null && pod.getMetadata().getFinalizers().contains(TRACKING_FINALIZER);
    }

    private static String phase(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    static boolean isFinished(Pod pod) {
        return "Succeeded".equals(phase(pod)) || "Failed".equals(phase(pod));
    }

    private static boolean isTerminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    static boolean isActive(Pod pod) {
        return !isFinished(pod) && !isTerminating(pod);
    }

    static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static int restarts(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return 0;
        }
        return pod.getStatus().getContainerStatuses().stream().mapToInt(s -> Objects.requireNonNullElse(s.getRestartCount(), 0)).sum();
    }

    private static int zero(Integer value) {
        return value == null ? 0 : value;
    }
}
