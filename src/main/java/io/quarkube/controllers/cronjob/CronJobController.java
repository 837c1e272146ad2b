package io.quarkube.controllers.cronjob;

import static io.quarkube.controllers.runtime.Owners.controllerOf;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.DateTimeException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.quarkube.client.ApiClient;
import io.quarkube.client.EventRecorder;
import io.quarkube.client.Informer;
import io.quarkube.controllers.cronjob.CronJobScheduling.Decision;
import io.quarkube.controllers.runtime.Controller;
import io.quarkube.controllers.runtime.ObjectRef;
import io.quarkube.controllers.runtime.Reconciler;
import io.quarkube.controllers.runtime.Result;
import io.quarkube.controllers.runtime.Watches;
import io.quarkube.cron.CronSchedule;
import io.quarkube.json.Timestamps;
import io.quarkube.leaderelection.LeaderElectionConfig;
import io.quarkube.leaderelection.LeaderElector;
import io.quarkube.registry.DeleteOptions;
import io.quarkube.registry.GenericStore.Part;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Creates Jobs from each CronJob's template at its scheduled times, as kube-controller-manager's
 * cronjob controller (v2) does: tracks the running Jobs in status.active, records
 * lastScheduleTime and lastSuccessfulTime, honours suspend, startingDeadlineSeconds and the
 * concurrency policy, and deletes finished Jobs beyond the history limits. It looks again just
 * after the next scheduled time instead of polling.
 */
@ApplicationScoped
public class CronJobController implements Controller, Reconciler {

    static final String SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";
    /** Go's time.RFC1123Z, which kube's MissSchedule event uses. */
    private static final DateTimeFormatter RFC_1123_Z = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", java.util.Locale.ENGLISH);

    @Inject
    ApiClient api;
    @Inject
    Vertx vertx;
    @Inject
    LeaderElectionConfig leaderElection;

    private Clock clock = Clock.systemUTC();
    private EventRecorder events;
    private Informer<CronJob> cronJobs;
    private Informer<Job> jobs;
    private Watches watches;

    void setClock(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "cronjob-controller";
    }

    @Override
    public Uni<Void> start() {
        events = new EventRecorder(api, name(), LeaderElector.identity(leaderElection));
        watches = new Watches(name(), this, api, vertx, 5);
        jobs = watches.owns(Job.class, "CronJob");
        cronJobs = watches.forKind(CronJob.class);
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
        CronJob cronJob = cronJobs.get(key.namespace(), key.name());
        if (cronJob == null || cronJob.getMetadata().getDeletionTimestamp() != null) {
            return Uni.createFrom().item(Result.done());
        }
        String uid = cronJob.getMetadata().getUid();
        List<Job> children = jobs.list(job -> key.namespace().equals(job.getMetadata().getNamespace())
                && controllerOf(job.getMetadata()) != null && uid.equals(controllerOf(job.getMetadata()).getUid()));

        CronJobStatus status = copy(cronJob.getStatus());
        List<Uni<Void>> notes = new ArrayList<>();
        trackChildren(cronJob, children, status, notes);
        Uni<Void> noted = Uni.join().all(notes.isEmpty() ? List.of(Uni.createFrom().voidItem()) : notes).andCollectFailures().replaceWithVoid();

        Uni<Result> scheduled = noted.flatMap(ignored -> schedule(cronJob, status));
        return scheduled.flatMap(result -> cleanUpHistory(cronJob).replaceWith(result));
    }

    /** Drops finished and vanished Jobs from status.active and takes lastSuccessfulTime from completed ones. */
    private void trackChildren(CronJob cronJob, List<Job> children, CronJobStatus status, List<Uni<Void>> notes) {
        List<ObjectReference> active = new ArrayList<>(Objects.requireNonNullElse(status.getActive(), List.of()));
        Map<String, Job> byUid = new HashMap<>();
        children.forEach(job -> byUid.put(job.getMetadata().getUid(), job));
        for (Job job : children) {
            boolean listed = active.stream().anyMatch(ref -> job.getMetadata().getUid().equals(ref.getUid()));
            if (listed && CronJobScheduling.isFinished(job)) {
                active.removeIf(ref -> job.getMetadata().getUid().equals(ref.getUid()));
                String condition = CronJobScheduling.hasCondition(job, "Complete") ? "Complete" : "Failed";
                notes.add(events.normal(cronJob, "SawCompletedJob", null, "Saw completed job: " + job.getMetadata().getName()
                        + ", condition: " + condition));
            }
            if (CronJobScheduling.hasCondition(job, "Complete") && job.getStatus().getCompletionTime() != null) {
                String completed = job.getStatus().getCompletionTime();
                if (status.getLastSuccessfulTime() == null
                        || Instant.parse(status.getLastSuccessfulTime()).isBefore(Instant.parse(completed))) {
                    status.setLastSuccessfulTime(completed);
                }
            }
        }
        for (ObjectReference ref : List.copyOf(active)) {
            if (!byUid.containsKey(ref.getUid()) && jobs.get(cronJob.getMetadata().getNamespace(), ref.getName()) == null) {
                active.remove(ref);
                notes.add(events.normal(cronJob, "MissingJob", null, "Active job went missing: " + ref.getName()));
            }
        }
        status.setActive(active);
    }

    private Uni<Result> schedule(CronJob cronJob, CronJobStatus status) {
        if (Boolean.TRUE.equals(cronJob.getSpec().getSuspend())) {
            return writeStatus(cronJob, status).replaceWith(Result.done());
        }
        CronSchedule schedule;
        try {
            schedule = CronSchedule.parse(cronJob.getSpec().getSchedule());
            CronJobScheduling.zone(cronJob); // an unknown zone throws here rather than mid-decision
        } catch (IllegalArgumentException | DateTimeException e) {
            // admission refuses these; an object stored before the check still deserves a word
            String reason = e instanceof DateTimeException ? "UnknownTimeZone" : "UnparseableSchedule";
            return events.warning(cronJob, reason, null, e.getMessage()).flatMap(ignored -> writeStatus(cronJob, status))
                    .replaceWith(Result.done());
        }
        Instant now = clock.instant();
        CronJob current = withStatus(cronJob, status);
        Decision decision = CronJobScheduling.decide(current, schedule, now);
        Result next = decision.nextCheck() == null ? Result.done()
                : Result.requeueAfter(Duration.between(now, decision.nextCheck()));
        Uni<Void> tooMany = decision.tooManyMissed()
                ? events.warning(cronJob, "TooManyMissedTimes", null,
                        "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew")
                : Uni.createFrom().voidItem();
        Uni<Void> acted = switch (decision.action()) {
            case NOTHING_DUE, ALREADY_RUN -> writeStatus(cronJob, status);
            case MISSED_DEADLINE -> events.warning(cronJob, "MissSchedule", null, "Missed scheduled time to start a job: "
                    + RFC_1123_Z.format(decision.scheduledTime().atZone(ZoneOffset.UTC)))
                    .flatMap(ignored -> writeStatus(cronJob, status));
            case FORBIDDEN -> events.normal(cronJob, "JobAlreadyActive", null,
                    "Not starting job because prior execution is running and concurrency policy is Forbid")
                    .flatMap(ignored -> writeStatus(cronJob, status));
            case CREATE -> createJob(cronJob, status, decision.scheduledTime());
            case REPLACE_AND_CREATE -> replaceActive(cronJob, status).flatMap(ignored -> createJob(cronJob, status, decision.scheduledTime()));
        };
        return tooMany.flatMap(ignored -> acted).replaceWith(next);
    }

    /** concurrencyPolicy Replace: the running Jobs go (their pods with them, in the background). */
    private Uni<Void> replaceActive(CronJob cronJob, CronJobStatus status) {
        List<Uni<Void>> deletes = new ArrayList<>();
        for (ObjectReference ref : Objects.requireNonNullElse(status.getActive(), List.<ObjectReference> of())) {
            deletes.add(api.delete(Job.class, cronJob.getMetadata().getNamespace(), ref.getName(),
                    new DeleteOptions(false, null, "Background", null, null))
                    .flatMap(existed -> events.normal(cronJob, "SuccessfulDelete", null, "Deleted job " + ref.getName())));
        }
        status.setActive(new ArrayList<>());
        return deletes.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(deletes).andFailFast().replaceWithVoid();
    }

    private Uni<Void> createJob(CronJob cronJob, CronJobStatus status, Instant scheduled) {
        Job job = jobFrom(cronJob, scheduled);
        Uni<Job> created = api.create(job)
                .call(written -> events.normal(cronJob, "SuccessfulCreate", null, "Created job " + written.getMetadata().getName()))
                .onFailure(ApiClient::isConflict).recoverWithUni(() ->
                        // created before a status write was lost: the Job is ours, only the status is behind
                        api.get(Job.class, job.getMetadata().getNamespace(), job.getMetadata().getName()))
                .onFailure().call(failure -> events.warning(cronJob, "FailedCreate", null,
                        "Error creating job: " + failure.getMessage()));
        return created.flatMap(written -> {
            if (written != null && controllerOf(written.getMetadata()) != null
                    && cronJob.getMetadata().getUid().equals(controllerOf(written.getMetadata()).getUid())) {
                List<ObjectReference> active = new ArrayList<>(Objects.requireNonNullElse(status.getActive(), List.of()));
                if (active.stream().noneMatch(ref -> written.getMetadata().getUid().equals(ref.getUid()))) {
                    active.add(reference(written));
                }
                status.setActive(active);
            }
            status.setLastScheduleTime(Timestamps.of(scheduled));
            return api.awaitObserved(written == null ? List.of() : List.of(written)).flatMap(ignored -> writeStatus(cronJob, status));
        });
    }

    /** Deletes finished Jobs beyond successfulJobsHistoryLimit and failedJobsHistoryLimit, oldest first. */
    private Uni<Void> cleanUpHistory(CronJob cronJob) {
        String uid = cronJob.getMetadata().getUid();
        List<Job> children = jobs.list(job -> cronJob.getMetadata().getNamespace().equals(job.getMetadata().getNamespace())
                && job.getMetadata().getDeletionTimestamp() == null
                && controllerOf(job.getMetadata()) != null && uid.equals(controllerOf(job.getMetadata()).getUid()));
        int successful = Objects.requireNonNullElse(cronJob.getSpec().getSuccessfulJobsHistoryLimit(), 3);
        int failed = Objects.requireNonNullElse(cronJob.getSpec().getFailedJobsHistoryLimit(), 1);
        List<Uni<Void>> deletes = new ArrayList<>();
        for (Job job : CronJobScheduling.beyondHistory(children, successful, failed)) {
            deletes.add(api.delete(Job.class, job.getMetadata().getNamespace(), job.getMetadata().getName(),
                    new DeleteOptions(false, null, "Background", job.getMetadata().getUid(), null))
                    .flatMap(existed -> existed
                            ? events.normal(cronJob, "SuccessfulDelete", null, "Deleted job " + job.getMetadata().getName())
                            : Uni.createFrom().voidItem()));
        }
        return deletes.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(deletes).andFailFast().replaceWithVoid();
    }

    /** Writes status.active, lastScheduleTime and lastSuccessfulTime when they differ from the stored ones. */
    private Uni<Void> writeStatus(CronJob cronJob, CronJobStatus wanted) {
        CronJobStatus stored = cronJob.getStatus() == null ? new CronJobStatus() : cronJob.getStatus();
        if (sameStatus(stored, wanted)) {
            return Uni.createFrom().voidItem();
        }
        // only the fields this reconcile changed: another writer may have set the others since the cache was read
        return api.modify(CronJob.class, cronJob.getMetadata().getNamespace(), cronJob.getMetadata().getName(), Part.STATUS, latest -> {
            CronJobStatus target = copy(latest.getStatus());
            if (!Objects.equals(uids(stored.getActive()), uids(wanted.getActive()))) {
                target.setActive(wanted.getActive());
            }
            if (!Objects.equals(stored.getLastScheduleTime(), wanted.getLastScheduleTime())) {
                target.setLastScheduleTime(wanted.getLastScheduleTime());
            }
            if (!Objects.equals(stored.getLastSuccessfulTime(), wanted.getLastSuccessfulTime())) {
                target.setLastSuccessfulTime(wanted.getLastSuccessfulTime());
            }
            latest.setStatus(target);
            return latest;
        }).call(written -> api.awaitObserved(List.of(written))).replaceWithVoid()
                .onFailure(ApiClient::isNotFound).recoverWithNull();
    }

    private static List<String> uids(List<ObjectReference> references) {
        return Objects.requireNonNullElse(references, List.<ObjectReference> of()).stream().map(ObjectReference::getUid).toList();
    }

    private static boolean sameStatus(CronJobStatus a, CronJobStatus b) {
        return uids(a.getActive()).equals(uids(b.getActive())) && Objects.equals(a.getLastScheduleTime(), b.getLastScheduleTime())
                && Objects.equals(a.getLastSuccessfulTime(), b.getLastSuccessfulTime());
    }

    /** The Job for a scheduled time: the template's labels, annotations and spec, named by the time, owned by the CronJob. */
    static Job jobFrom(CronJob cronJob, Instant scheduled) {
        var template = cronJob.getSpec().getJobTemplate();
        ObjectMeta metadata = new ObjectMeta();
        metadata.setName(CronJobScheduling.jobName(cronJob, scheduled));
        metadata.setNamespace(cronJob.getMetadata().getNamespace());
        Map<String, String> annotations = new HashMap<>();
        if (template.getMetadata() != null) {
            metadata.setLabels(template.getMetadata().getLabels());
            if (template.getMetadata().getAnnotations() != null) {
                annotations.putAll(template.getMetadata().getAnnotations());
            }
        }
        annotations.put(SCHEDULED_TIMESTAMP, CronJobScheduling.scheduledTimestamp(cronJob, scheduled));
        metadata.setAnnotations(annotations);
        metadata.setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("CronJob")
                .withName(cronJob.getMetadata().getName()).withUid(cronJob.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build()));
        Job job = new Job();
        job.setMetadata(metadata);
        job.setSpec(template.getSpec());
        return job;
    }

    private static ObjectReference reference(Job job) {
        ObjectReference ref = new ObjectReference();
        ref.setApiVersion("batch/v1");
        ref.setKind("Job");
        ref.setName(job.getMetadata().getName());
        ref.setNamespace(job.getMetadata().getNamespace());
        ref.setUid(job.getMetadata().getUid());
        ref.setResourceVersion(job.getMetadata().getResourceVersion());
        return ref;
    }

    private static CronJobStatus copy(CronJobStatus status) {
        if (status == null) {
            return new CronJobStatus();
        }
        return new CronJobStatus(status.getActive() == null ? new ArrayList<>() : new ArrayList<>(status.getActive()),
                status.getLastScheduleTime(), status.getLastSuccessfulTime());
    }

    private static CronJob withStatus(CronJob cronJob, CronJobStatus status) {
        CronJob copy = new CronJob();
        copy.setMetadata(cronJob.getMetadata());
        copy.setSpec(cronJob.getSpec());
        copy.setStatus(status);
        return copy;
    }
}
