package io.quarkube.controllers.disruption;

import static io.quarkube.controllers.runtime.Owners.controllerOf;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.quarkube.client.ApiClient;
import io.quarkube.client.EventRecorder;
import io.quarkube.client.Informer;
import io.quarkube.controllers.disruption.BudgetStatus.Disrupted;
import io.quarkube.controllers.disruption.BudgetStatus.Expectation;
import io.quarkube.controllers.runtime.Controller;
import io.quarkube.controllers.runtime.ObjectRef;
import io.quarkube.controllers.runtime.Reconciler;
import io.quarkube.controllers.runtime.Result;
import io.quarkube.controllers.runtime.Watches;
import io.quarkube.json.Json;
import io.quarkube.leaderelection.LeaderElectionConfig;
import io.quarkube.leaderelection.LeaderElector;
import io.quarkube.registry.policy.DisruptionAllowedCondition;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Keeps each PodDisruptionBudget's status current, as kube-controller-manager's disruption
 * controller: expectedPods, desiredHealthy (from minAvailable or maxUnavailable, against the
 * controlling workloads' scale where a percentage or maxUnavailable needs it), currentHealthy (ready
 * pods not being deleted and not recently evicted), disruptionsAllowed, observedGeneration, the
 * DisruptionAllowed condition, and status.disruptedPods without evictions that are done or older
 * than two minutes. The eviction subresource reads this status to allow or refuse evictions.
 */
@ApplicationScoped
public class DisruptionController implements Controller, Reconciler {

    private static final String SYNC_FAILED = "SyncFailed";

    @Inject
    ApiClient api;
    @Inject
    Vertx vertx;
    @Inject
    LeaderElectionConfig leaderElection;

    Clock clock = Clock.systemUTC();
    private EventRecorder events;
    private Informer<PodDisruptionBudget> budgets;
    private Informer<Pod> pods;
    private Watches watches;

    @Override
    public String name() {
        return "disruption-controller";
    }

    @Override
    public Uni<Void> start() {
        events = new EventRecorder(api, name(), LeaderElector.identity(leaderElection));
        watches = new Watches(name(), this, api, vertx, 2);
        pods = watches.watch(Pod.class, Informer.Handler.onEveryChangeOldAndNew(this::enqueueBudgetsOf));
        budgets = watches.forKind(PodDisruptionBudget.class);
        return watches.start();
    }

    @Override
    public void stop() {
        if (watches != null) {
            watches.stop();
        }
    }

    private void enqueueBudgetsOf(Pod pod) {
        String namespace = pod.getMetadata().getNamespace();
        for (PodDisruptionBudget budget : budgets.list(b -> namespace.equals(b.getMetadata().getNamespace()))) {
            try {
                if (!BudgetStatus.selectedPods(budget, List.of(pod)).isEmpty()) {
                    watches.enqueue(ObjectRef.of(budget));
                }
            } catch (IllegalArgumentException invalidSelector) {
                watches.enqueue(ObjectRef.of(budget));
            }
        }
    }

    @Override
    public Uni<Result> reconcile(ObjectRef key) {
        PodDisruptionBudget budget = budgets.get(key.namespace(), key.name());
        if (budget == null) {
            return Uni.createFrom().item(Result.done());
        }
        List<Pod> selected;
        try {
            selected = BudgetStatus.selectedPods(budget, pods.list(p -> key.namespace().equals(p.getMetadata().getNamespace())));
        } catch (IllegalArgumentException invalidSelector) {
            return failSafe(budget, invalidSelector.getMessage());
        }
        Uni<Void> noPods = selected.isEmpty() ? events.normal(budget, "NoPods", null, "No matching pods found") : Uni.createFrom().voidItem();
        return noPods.flatMap(ignored -> expectation(budget, selected))
                .flatMap(expectation -> writeStatus(budget, selected, expectation))
                .onFailure(failure -> failure instanceof ScaleUnknown).recoverWithUni(failure -> events
                        .warning(budget, "CalculateExpectedPodCountFailed", null, "Failed to calculate the number of expected pods: " + failure.getMessage())
                        .flatMap(ignored -> failSafe(budget, failure.getMessage())));
    }

    /** What the budget expects; the controllers' scale is looked up only when the spec needs it. */
    private Uni<Expectation> expectation(PodDisruptionBudget budget, List<Pod> selected) {
        if (!BudgetStatus.needsScale(budget.getSpec())) {
            return Uni.createFrom().item(BudgetStatus.expectation(budget.getSpec(), selected.size(), 0));
        }
        return expectedScale(budget, selected).map(scale -> {
            try {
                return BudgetStatus.expectation(budget.getSpec(), selected.size(), scale);
            } catch (IllegalArgumentException e) {
                throw new ScaleUnknown(e.getMessage());
            }
        });
    }

    /**
     * The summed scale of the workloads controlling the pods, each counted once: a Deployment
     * through its ReplicaSet, a ReplicaSet, a StatefulSet. Pods without a controller are reported
     * (their budget needs an integer minAvailable) and left out; a pod whose controller has no
     * scale fails the look.
     */
    private Uni<Integer> expectedScale(PodDisruptionBudget budget, List<Pod> selected) {
        Map<String, Uni<Scale>> byController = new HashMap<>();
        List<String> unmanaged = new ArrayList<>();
        for (Pod pod : selected) {
            OwnerReference controller = controllerOf(pod);
            if (controller == null) {
                unmanaged.add(pod.getMetadata().getName());
                continue;
            }
            byController.computeIfAbsent(controller.getUid(), uid -> scaleOf(pod.getMetadata().getNamespace(), controller)
                    .invoke(scale -> {
                        if (scale == null) {
                            throw new ScaleUnknown("found no controllers for pod \"" + pod.getMetadata().getName() + "\"");
                        }
                    }).memoize().indefinitely());
        }
        Uni<Void> reported = unmanaged.isEmpty() ? Uni.createFrom().voidItem() : events.warning(budget, "UnmanagedPods", null,
                "Pods selected by this PodDisruptionBudget (selector: " + Json.write(Json.MAPPER.valueToTree(budget.getSpec().getSelector()))
                        + ") were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may "
                        + "result in undefined behavior. To account for these pods please set \".spec.minAvailable\" field of the PDB "
                        + "to an integer value.");
        if (byController.isEmpty()) {
            return reported.replaceWith(0);
        }
        return reported.flatMap(ignored -> Uni.join().all(List.copyOf(byController.values())).andFailFast())
                .map(scales -> {
                    // a Deployment reached through two of its ReplicaSets counts once
                    Map<String, Integer> byWorkload = new HashMap<>();
                    scales.forEach(scale -> byWorkload.put(scale.uid(), scale.replicas()));
                    return byWorkload.values().stream().mapToInt(Integer::intValue).sum();
                });
    }

    private record Scale(String uid, int replicas) {
    }

    private Uni<Scale> scaleOf(String namespace, OwnerReference controller) {
        return switch (controller.getKind()) {
            case "ReplicaSet" -> api.get(ReplicaSet.class, namespace, controller.getName()).flatMap(replicaSet -> {
                if (!sameObject(replicaSet, controller)) {
                    return Uni.createFrom().nullItem();
                }
                OwnerReference owner = controllerOf(replicaSet);
                if (owner != null && "Deployment".equals(owner.getKind())) {
                    return api.get(Deployment.class, namespace, owner.getName()).map(deployment -> sameObject(deployment, owner)
                            ? new Scale(owner.getUid(), replicas(deployment.getSpec().getReplicas())) : null);
                }
                return Uni.createFrom().item(new Scale(controller.getUid(), replicas(replicaSet.getSpec().getReplicas())));
            });
            case "Deployment" -> api.get(Deployment.class, namespace, controller.getName()).map(deployment ->
                    sameObject(deployment, controller) ? new Scale(controller.getUid(), replicas(deployment.getSpec().getReplicas())) : null);
            case "StatefulSet" -> api.get(StatefulSet.class, namespace, controller.getName()).map(statefulSet ->
                    sameObject(statefulSet, controller) ? new Scale(controller.getUid(), replicas(statefulSet.getSpec().getReplicas())) : null);
            default -> Uni.createFrom().nullItem();
        };
    }

    private static boolean sameObject(HasMetadata object, OwnerReference reference) {
        return object != null && Objects.equals(object.getMetadata().getUid(), reference.getUid());
    }

    private static int replicas(Integer replicas) {
        return replicas == null ? 1 : replicas;
    }

    private Uni<Result> writeStatus(PodDisruptionBudget budget, List<Pod> selected, Expectation expectation) {
        Instant now = clock.instant();
        PodDisruptionBudgetStatus current = budget.getStatus() == null ? new PodDisruptionBudgetStatus() : budget.getStatus();
        Disrupted disrupted = BudgetStatus.disrupted(current.getDisruptedPods(), selected, now);
        int healthy = BudgetStatus.currentHealthy(selected, disrupted.pods(), now);
        int allowed = BudgetStatus.disruptionsAllowed(healthy, expectation.desiredHealthy(), expectation.expectedPods());
        Result result = disrupted.recheckAt() == null ? Result.done()
                : Result.requeueAfter(Duration.between(now, disrupted.recheckAt()).plusMillis(100));
        long generation = Objects.requireNonNullElse(budget.getMetadata().getGeneration(), 0L);
        if (Objects.equals(current.getCurrentHealthy(), healthy) && Objects.equals(current.getDesiredHealthy(), expectation.desiredHealthy())
                && Objects.equals(current.getExpectedPods(), expectation.expectedPods()) && Objects.equals(current.getDisruptionsAllowed(), allowed)
                && disrupted.pods().equals(Objects.requireNonNullElse(current.getDisruptedPods(), Map.of()))
                && DisruptionAllowedCondition.isCurrent(Json.MAPPER.valueToTree(budget))) {
            return Uni.createFrom().item(result);
        }
        ObjectNode status = Json.MAPPER.valueToTree(current);
        status.put("currentHealthy", healthy).put("desiredHealthy", expectation.desiredHealthy())
                .put("expectedPods", expectation.expectedPods()).put("disruptionsAllowed", allowed)
                .put("observedGeneration", generation);
        status.set("disruptedPods", Json.MAPPER.valueToTree(disrupted.pods()));
        DisruptionAllowedCondition.set(status, now);
        return updateStatus(budget, status).replaceWith(result);
    }

    /** On a failure to compute the status, allow no disruption and say why (kube's failSafe). */
    private Uni<Result> failSafe(PodDisruptionBudget budget, String why) {
        ObjectNode status = Json.MAPPER.valueToTree(budget.getStatus() == null ? new PodDisruptionBudgetStatus() : budget.getStatus());
        status.put("disruptionsAllowed", 0);
        DisruptionAllowedCondition.set(status, clock.instant());
        for (var condition : status.path("conditions")) {
            if (DisruptionAllowedCondition.TYPE.equals(condition.path("type").asText())) {
                ((ObjectNode) condition).put("reason", SYNC_FAILED).put("message", why);
            }
        }
        return updateStatus(budget, status).replaceWith(Result.done());
    }

    /** Writes the status under the informer's resourceVersion: a conflict means a newer budget, looked at again. */
    private Uni<PodDisruptionBudget> updateStatus(PodDisruptionBudget budget, ObjectNode status) {
        PodDisruptionBudget updated = Json.MAPPER.convertValue(Json.MAPPER.valueToTree(budget), PodDisruptionBudget.class);
        updated.setStatus(Json.MAPPER.convertValue(status, PodDisruptionBudgetStatus.class));
        return api.updateStatus(updated).onFailure(ApiClient::isNotFound).recoverWithNull();
    }

    /** The budget's expected pod count cannot be computed (a controller without scale, an invalid percentage). */
    private static final class ScaleUnknown extends RuntimeException {
        ScaleUnknown(String message) {
            super(message, null, false, false);
        }
    }
}
