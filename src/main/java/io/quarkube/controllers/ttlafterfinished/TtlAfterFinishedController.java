package io.quarkube.controllers.ttlafterfinished;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.quarkube.client.ApiClient;
import io.quarkube.client.Informer;
import io.quarkube.controllers.runtime.Controller;
import io.quarkube.controllers.runtime.ObjectRef;
import io.quarkube.controllers.runtime.Reconciler;
import io.quarkube.controllers.runtime.Result;
import io.quarkube.controllers.runtime.Watches;
import io.quarkube.registry.DeleteOptions;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * kube-controller-manager's ttl-after-finished controller: deletes a finished Job (Complete or
 * Failed) once spec.ttlSecondsAfterFinished has passed since it finished, with Background
 * propagation so its pods follow; until then it looks again when the time comes.
 */
@ApplicationScoped
public class TtlAfterFinishedController implements Controller, Reconciler {

    @Inject
    ApiClient api;
    @Inject
    Vertx vertx;

    private Clock clock = Clock.systemUTC();
    private Informer<Job> jobs;
    private Watches watches;

    void setClock(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "ttl-after-finished-controller";
    }

    @Override
    public Uni<Void> start() {
        watches = new Watches(name(), this, api, vertx, 5);
        jobs = watches.forKind(Job.class, TtlAfterFinishedController::expiring);
        return watches.start();
    }

    @Override
    public void stop() {
        if (watches != null) {
            watches.stop();
        }
    }

    private static boolean expiring(Job job) {
        return job.getSpec() != null && job.getSpec().getTtlSecondsAfterFinished() != null && finishedAt(job) != null;
    }

    @Override
    public Uni<Result> reconcile(ObjectRef key) {
        Job job = jobs.get(key.namespace(), key.name());
        if (job == null || job.getMetadata().getDeletionTimestamp() != null) {
            return Uni.createFrom().item(Result.done());
        }
        Duration left = timeLeft(job, clock.instant());
        if (left == null) {
            return Uni.createFrom().item(Result.done());
        }
        if (!left.isNegative() && !left.isZero()) {
            return Uni.createFrom().item(Result.requeueAfter(left.plusMillis(50)));
        }
        // the uid precondition: a Job recreated under the same name meanwhile is not ours to delete
        return api.delete(Job.class, key.namespace(), key.name(),
                new DeleteOptions(false, null, "Background", job.getMetadata().getUid(), null))
                .replaceWith(Result.done());
    }

    /** Until the Job expires (zero or negative when it has), or null when it never does. */
    static Duration timeLeft(Job job, Instant now) {
        Integer ttl = job.getSpec().getTtlSecondsAfterFinished();
        Instant finishedAt = finishedAt(job);
        if (ttl == null || finishedAt == null) {
            return null;
        }
        return Duration.between(now, finishedAt.plusSeconds(ttl));
    }

    /** When the Job finished: its Complete or Failed condition's transition (kube falls back to the same). */
    static Instant finishedAt(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return null;
        }
        for (JobCondition condition : job.getStatus().getConditions()) {
            if (List.of("Complete", "Failed").contains(condition.getType()) && "True".equals(condition.getStatus())
                    && condition.getLastTransitionTime() != null) {
                return Instant.parse(condition.getLastTransitionTime());
            }
        }
        return null;
    }
}
