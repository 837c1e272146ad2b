package io.quarkube.controllers.deployment;

import static io.quarkube.controllers.runtime.Owners.controllerOf;
import static io.quarkube.controllers.runtime.Owners.isControlledBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.quarkube.client.ApiClient;
import io.quarkube.client.EventRecorder;
import io.quarkube.json.Timestamps;
import io.quarkube.leaderelection.LeaderElectionConfig;
import io.quarkube.leaderelection.LeaderElector;
import io.quarkube.client.Informer;
import io.quarkube.controllers.runtime.Controller;
import io.quarkube.controllers.runtime.ObjectRef;
import io.quarkube.controllers.runtime.Reconciler;
import io.quarkube.controllers.runtime.Result;
import io.quarkube.controllers.runtime.Watches;
import io.quarkube.json.Json;
import io.quarkube.registry.DeleteOptions;
import io.quarkube.registry.GenericStore.Part;
import io.quarkube.registry.StatusException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Rolls Deployments out through ReplicaSets, as kube-controller-manager's deployment controller:
 * one ReplicaSet per pod template (named with its {@code pod-template-hash}), RollingUpdate within
 * maxSurge/maxUnavailable or Recreate, {@code deployment.kubernetes.io/revision} on both (a
 * template seen before gets the next revision again: that is a rollback), old ReplicaSets pruned
 * to revisionHistoryLimit, pause, and the Progressing/Available conditions with the progress
 * deadline that {@code kubectl rollout status} reads.
 */
@ApplicationScoped
public class DeploymentController implements Controller, Reconciler {

    static final String REVISION = "deployment.kubernetes.io/revision";
    static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";

    @Inject
    ApiClient api;
    @Inject
    Vertx vertx;
    @Inject
    LeaderElectionConfig leaderElection;

    private EventRecorder events;

    private Informer<Deployment> deployments;
    private Informer<ReplicaSet> replicaSets;
    private Informer<Pod> pods;
    private Watches watches;

    @Override
    public String name() {
        return "deployment-controller";
    }

    @Override
    public Uni<Void> start() {
        events = new EventRecorder(api, name(), LeaderElector.identity(leaderElection));
        watches = new Watches(name(), this, api, vertx, 5);
        // Recreate waits for the old pods to be gone
        pods = watches.watch(Pod.class, new Informer.Handler<>() {
            @Override
            public void onDelete(Pod pod) {
                OwnerReference owner = controllerOf(pod.getMetadata());
                if (owner != null && "ReplicaSet".equals(owner.getKind())) {
                    ReplicaSet replicaSet = replicaSets.get(pod.getMetadata().getNamespace(), owner.getName());
                    if (replicaSet != null) {
                        watches.enqueueControllerOf(replicaSet, "Deployment");
                    }
                }
            }
        });
        replicaSets = watches.owns(ReplicaSet.class, "Deployment");
        deployments = watches.forKind(Deployment.class);
        return watches.start();
    }

    @Override
    public void stop() {
        if (watches != null) {
            watches.stop();
        }
    }

    // ---- reconcile ---------------------------------------------------------------------------

    @Override
    public Uni<Result> reconcile(ObjectRef key) {
        Deployment deployment = deployments.get(key.namespace(), key.name());
        if (deployment == null || deployment.getMetadata().getDeletionTimestamp() != null) {
            return Uni.createFrom().item(Result.done());
        }
        List<ReplicaSet> owned = replicaSets.list(rs -> key.namespace().equals(rs.getMetadata().getNamespace())
                && isControlledBy(rs.getMetadata(), deployment.getMetadata().getUid()));
        ReplicaSet newRs = owned.stream().filter(rs -> sameTemplate(rs.getSpec().getTemplate(), deployment.getSpec().getTemplate()))
                .min(Comparator.comparing((ReplicaSet rs) -> rs.getMetadata().getCreationTimestamp()))
                .orElse(null);
        List<ReplicaSet> olds = owned.stream().filter(rs -> rs != newRs).toList();
        int replicas = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);

        if (Boolean.TRUE.equals(deployment.getSpec().getPaused())) {
            Uni<Void> scaled = newRs == null ? Uni.createFrom().voidItem() : scale(deployment, newRs, replicas - sum(olds, false));
            return scaled.flatMap(ignored -> writeStatus(deployment, newRs, olds, null));
        }
        if (newRs == null) {
            return createNewReplicaSet(deployment, olds).flatMap(created -> created == null
                    ? Uni.createFrom().item(Result.requeueAfter(Duration.ofMillis(10)))
                    : writeStatus(deployment, created, olds, "NewReplicaSetCreated"));
        }
        long maxOldRevision = olds.stream().mapToLong(DeploymentController::revisionOf).max().orElse(0);
        Uni<Void> revised = revisionOf(newRs) > maxOldRevision ? Uni.createFrom().voidItem()
                : annotate(newRs, REVISION, Long.toString(maxOldRevision + 1));
        Uni<Boolean> rolled = revised.flatMap(ignored -> "Recreate".equals(strategyOf(deployment))
                ? recreate(deployment, newRs, olds)
                : rollingUpdate(deployment, newRs, olds));
        return rolled.flatMap(changed -> pruneHistory(deployment, newRs, olds))
                .flatMap(ignored -> writeStatus(deployment, newRs, olds, null));
    }

    /** Creates the ReplicaSet of the current template; null (look again) after a name collision. */
    private Uni<ReplicaSet> createNewReplicaSet(Deployment deployment, List<ReplicaSet> olds) {
        Integer collisions = deployment.getStatus() == null ? null : deployment.getStatus().getCollisionCount();
        String hash = PodTemplateHash.of(deployment.getSpec().getTemplate(), collisions);
        int replicas = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
        int initial;
        if ("Recreate".equals(strategyOf(deployment))) {
            initial = sum(olds, false) > 0 ? 0 : replicas;
        } else {
            int[] fence = fenceposts(deployment, replicas);
            initial = RolloutMath.newReplicaSetSize(replicas, fence[0], 0, sum(olds, false));
        }
        long revision = olds.stream().mapToLong(DeploymentController::revisionOf).max().orElse(0) + 1;
        ReplicaSet replicaSet = new ReplicaSet();
        ObjectMeta metadata = new ObjectMeta();
        metadata.setName(deployment.getMetadata().getName() + "-" + hash);
        metadata.setNamespace(deployment.getMetadata().getNamespace());
        Map<String, String> labels = new LinkedHashMap<>(labelsOf(deployment.getSpec().getTemplate()));
        labels.put(PodTemplateHash.LABEL, hash);
        metadata.setLabels(labels);
        Map<String, String> annotations = copiedAnnotations(deployment);
        annotations.put(REVISION, Long.toString(revision));
        annotations.put(DESIRED_REPLICAS, Integer.toString(replicas));
        annotations.put(MAX_REPLICAS, Integer.toString(replicas + fenceposts(deployment, replicas)[0]));
        metadata.setAnnotations(annotations);
        metadata.setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
                .withName(deployment.getMetadata().getName()).withUid(deployment.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build()));
        replicaSet.setMetadata(metadata);

        PodTemplateSpec template = Json.MAPPER.convertValue(deployment.getSpec().getTemplate(), PodTemplateSpec.class);
        if (template.getMetadata() == null) {
            template.setMetadata(new ObjectMeta());
        }
        template.getMetadata().setLabels(labels);
        LabelSelector selector = Json.MAPPER.convertValue(deployment.getSpec().getSelector(), LabelSelector.class);
        Map<String, String> matchLabels = new LinkedHashMap<>(Objects.requireNonNullElse(selector.getMatchLabels(), Map.of()));
        matchLabels.put(PodTemplateHash.LABEL, hash);
        selector.setMatchLabels(matchLabels);
        ReplicaSetSpec spec = new ReplicaSetSpec();
        spec.setReplicas(initial);
        spec.setMinReadySeconds(deployment.getSpec().getMinReadySeconds());
        spec.setSelector(selector);
        spec.setTemplate(template);
        replicaSet.setSpec(spec);
        return api.create(replicaSet).call(created -> api.awaitObserved(List.of(created)))
                .call(created -> events.normal(deployment, "ScalingReplicaSet", null,
                        "Scaled up replica set " + created.getMetadata().getName() + " to " + initial + " from 0"))
                .onFailure(failure -> failure instanceof StatusException status && status.code() == 409)
                .recoverWithUni(() -> countCollision(deployment).replaceWith((ReplicaSet) null));
    }

    /** Another ReplicaSet holds the name this template hashes to: hash again with a higher collision count. */
    private Uni<Deployment> countCollision(Deployment deployment) {
        return api.modify(Deployment.class, deployment.getMetadata().getNamespace(), deployment.getMetadata().getName(), Part.STATUS,
                current -> {
                    DeploymentStatus status = current.getStatus() == null ? new DeploymentStatus() : current.getStatus();
                    status.setCollisionCount(Objects.requireNonNullElse(status.getCollisionCount(), 0) + 1);
                    current.setStatus(status);
                    return current;
                });
    }

    /** Old ReplicaSets to zero first; the new one scales up once no old pod is left. */
    private Uni<Boolean> recreate(Deployment deployment, ReplicaSet newRs, List<ReplicaSet> olds) {
        List<Uni<Void>> scaledDown = new ArrayList<>();
        for (ReplicaSet old : olds) {
            if (specReplicas(old) > 0) {
                scaledDown.add(scale(deployment, old, 0));
            }
        }
        if (!scaledDown.isEmpty()) {
            return joinAll(scaledDown).replaceWith(true);
        }
        boolean oldPodsRemain = olds.stream().anyMatch(old -> !pods.list(pod -> isControlledBy(pod.getMetadata(), old.getMetadata().getUid())).isEmpty());
        int replicas = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
        if (oldPodsRemain || specReplicas(newRs) == replicas) {
            return Uni.createFrom().item(false);
        }
        return scale(deployment, newRs, replicas).replaceWith(true);
    }

    /** One step of the rolling update: the new ReplicaSet up within maxSurge, old ones down within maxUnavailable. */
    private Uni<Boolean> rollingUpdate(Deployment deployment, ReplicaSet newRs, List<ReplicaSet> olds) {
        int replicas = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
        int[] fence = fenceposts(deployment, replicas);
        int allPods = specReplicas(newRs) + sum(olds, false);
        int newSize = RolloutMath.newReplicaSetSize(replicas, fence[0], specReplicas(newRs), allPods);
        if (newSize != specReplicas(newRs)) {
            return scale(deployment, newRs, newSize).replaceWith(true);
        }
        int budget = RolloutMath.oldScaleDownBudget(replicas, fence[1], allPods, specReplicas(newRs), available(newRs));
        if (budget == 0 || sum(olds, false) == 0) {
            return Uni.createFrom().item(false);
        }
        // unavailable old pods go first (they serve nobody), then old ReplicaSets oldest first
        List<ReplicaSet> order = new ArrayList<>(olds);
        order.sort(Comparator.comparing((ReplicaSet rs) -> specReplicas(rs) - available(rs)).reversed()
                .thenComparing(rs -> rs.getMetadata().getCreationTimestamp()));
        List<Uni<Void>> scaled = new ArrayList<>();
        int minAvailable = replicas - fence[1];
        int removableAvailable = Math.max(available(newRs) + sum(olds, true) - minAvailable, 0);
        for (ReplicaSet old : order) {
            if (budget == 0) {
                break;
            }
            int unavailable = Math.max(specReplicas(old) - available(old), 0);
            int down = Math.min(budget, Math.min(specReplicas(old), unavailable + removableAvailable));
            if (down > 0) {
                int fromAvailable = Math.max(down - unavailable, 0);
                removableAvailable -= fromAvailable;
                budget -= down;
                scaled.add(scale(deployment, old, specReplicas(old) - down));
            }
        }
        return scaled.isEmpty() ? Uni.createFrom().item(false) : joinAll(scaled).replaceWith(true);
    }

    /** Old ReplicaSets scaled to zero beyond revisionHistoryLimit are deleted, lowest revision first. */
    private Uni<Void> pruneHistory(Deployment deployment, ReplicaSet newRs, List<ReplicaSet> olds) {
        int limit = Objects.requireNonNullElse(deployment.getSpec().getRevisionHistoryLimit(), 10);
        List<ReplicaSet> idle = olds.stream().filter(rs -> specReplicas(rs) == 0 && statusReplicas(rs) == 0)
                .sorted(Comparator.comparingLong(DeploymentController::revisionOf)).toList();
        List<Uni<Void>> deletions = new ArrayList<>();
        for (int i = 0; i < idle.size() - limit; i++) {
            ReplicaSet rs = idle.get(i);
            deletions.add(api.delete(ReplicaSet.class, rs.getMetadata().getNamespace(), rs.getMetadata().getName(),
                    new DeleteOptions(false, null, null, rs.getMetadata().getUid(), null)).replaceWithVoid());
        }
        return joinAll(deletions);
    }

    // ---- status --------------------------------------------------------------------------------

    /**
     * Writes counts and conditions; asks to be looked at again when the progress deadline may
     * pass before anything else changes.
     */
    private Uni<Result> writeStatus(Deployment deployment, ReplicaSet newRs, List<ReplicaSet> olds, String event) {
        int replicas = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
        List<ReplicaSet> all = new ArrayList<>(olds);
        if (newRs != null) {
            all.add(newRs);
        }
        DeploymentStatus current = deployment.getStatus() == null ? new DeploymentStatus() : deployment.getStatus();
        DeploymentStatus status = new DeploymentStatus();
        status.setObservedGeneration(deployment.getMetadata().getGeneration());
        status.setReplicas(all.stream().mapToInt(DeploymentController::statusReplicas).sum());
        status.setUpdatedReplicas(newRs == null ? 0 : statusReplicas(newRs));
        status.setReadyReplicas(all.stream().mapToInt(rs -> zero(rs.getStatus() == null ? null : rs.getStatus().getReadyReplicas())).sum());
        status.setAvailableReplicas(all.stream().mapToInt(DeploymentController::available).sum());
        status.setUnavailableReplicas(Math.max(replicas - status.getAvailableReplicas(), 0));
        status.setCollisionCount(current.getCollisionCount());

        String now = Timestamps.now();
        Map<String, DeploymentCondition> conditions = new LinkedHashMap<>();
        if (current.getConditions() != null) {
            current.getConditions().forEach(condition -> conditions.put(condition.getType(), condition));
        }
        int maxUnavailable = fenceposts(deployment, replicas)[1];
        boolean available = status.getAvailableReplicas() >= replicas - maxUnavailable;
        setCondition(conditions, "Available", available ? "True" : "False",
                available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                available ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", now);

        String rsName = newRs == null ? "" : newRs.getMetadata().getName();
        boolean complete = newRs != null && status.getUpdatedReplicas() == replicas && status.getReplicas() == replicas
                && status.getAvailableReplicas() == replicas && specReplicas(newRs) == replicas;
        Duration deadlineIn = null;
        if (Boolean.TRUE.equals(deployment.getSpec().getPaused())) {
            setCondition(conditions, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", now);
        } else if (complete) {
            setCondition(conditions, "Progressing", "True", "NewReplicaSetAvailable",
                    "ReplicaSet \"" + rsName + "\" has successfully progressed.", now);
        } else if (event != null) {
            setCondition(conditions, "Progressing", "True", event, "Created new replica set \"" + rsName + "\"", now);
        } else {
            DeploymentCondition progressing = conditions.get("Progressing");
            boolean progressed = !Objects.equals(current.getUpdatedReplicas(), status.getUpdatedReplicas())
                    || !Objects.equals(current.getAvailableReplicas(), status.getAvailableReplicas())
                    || !Objects.equals(current.getReplicas(), status.getReplicas())
                    || progressing == null || "DeploymentPaused".equals(progressing.getReason())
                    || "NewReplicaSetAvailable".equals(progressing.getReason());
            if (progressed) {
                setCondition(conditions, "Progressing", "True", "ReplicaSetUpdated", "ReplicaSet \"" + rsName + "\" is progressing.", now);
            }
            progressing = conditions.get("Progressing");
            Integer deadlineSeconds = deployment.getSpec().getProgressDeadlineSeconds();
            if (deadlineSeconds != null && !"ProgressDeadlineExceeded".equals(progressing.getReason())) {
                Instant deadline = Instant.parse(progressing.getLastUpdateTime()).plusSeconds(deadlineSeconds);
                if (Instant.now().isAfter(deadline)) {
                    setCondition(conditions, "Progressing", "False", "ProgressDeadlineExceeded",
                            "ReplicaSet \"" + rsName + "\" has timed out progressing.", now);
                } else {
                    deadlineIn = Duration.between(Instant.now(), deadline).plusMillis(500);
                }
            }
        }
        status.setConditions(new ArrayList<>(conditions.values()));
        Result result = deadlineIn == null ? Result.done() : Result.requeueAfter(deadlineIn);

        String revision = newRs == null ? null : Long.toString(revisionOf(newRs));
        Uni<Void> annotated = revision == null || revision.equals(annotation(deployment.getMetadata(), REVISION))
                ? Uni.createFrom().voidItem()
                : api.modify(Deployment.class, deployment.getMetadata().getNamespace(), deployment.getMetadata().getName(), Part.MAIN,
                        latest -> {
                            Map<String, String> annotations = new HashMap<>(Objects.requireNonNullElse(latest.getMetadata().getAnnotations(), Map.of()));
                            annotations.put(REVISION, revision);
                            latest.getMetadata().setAnnotations(annotations);
                            return latest;
                        }).replaceWithVoid();
        if (Json.MAPPER.valueToTree(status).equals(Json.MAPPER.valueToTree(current))) {
            return annotated.replaceWith(result);
        }
        return annotated.flatMap(ignored -> api.modify(Deployment.class, deployment.getMetadata().getNamespace(),
                deployment.getMetadata().getName(), Part.STATUS, latest -> {
                    latest.setStatus(status);
                    return latest;
                })).replaceWith(result).onFailure(ApiClient::isNotFound).recoverWithItem(Result.done());
    }

    /** Sets a condition; its lastTransitionTime moves only when its status changes, lastUpdateTime on any change. */
    private static void setCondition(Map<String, DeploymentCondition> conditions, String type, String status, String reason,
            String message, String now) {
        DeploymentCondition existing = conditions.get(type);
        if (existing != null && status.equals(existing.getStatus()) && reason.equals(existing.getReason())
                && message.equals(existing.getMessage())) {
            return;
        }
        String transition = existing != null && status.equals(existing.getStatus()) ? existing.getLastTransitionTime() : now;
        conditions.put(type, new DeploymentCondition(transition, now, message, reason, status, type));
    }

    // ---- helpers -----------------------------------------------------------------------------

    private Uni<Void> scale(Deployment deployment, ReplicaSet replicaSet, int replicas) {
        int target = Math.max(replicas, 0);
        int from = specReplicas(replicaSet);
        if (from == target) {
            return Uni.createFrom().voidItem();
        }
        return api.modify(ReplicaSet.class, replicaSet.getMetadata().getNamespace(), replicaSet.getMetadata().getName(), Part.MAIN,
                current -> {
                    current.getSpec().setReplicas(target);
                    return current;
                }).call(updated -> api.awaitObserved(List.of(updated)))
                .call(updated -> events.normal(deployment, "ScalingReplicaSet", null, "Scaled " + (target > from ? "up" : "down")
                        + " replica set " + replicaSet.getMetadata().getName() + " to " + target + " from " + from))
                .replaceWithVoid();
    }

    private Uni<Void> annotate(ReplicaSet replicaSet, String key, String value) {
        return api.modify(ReplicaSet.class, replicaSet.getMetadata().getNamespace(), replicaSet.getMetadata().getName(), Part.MAIN,
                current -> {
                    Map<String, String> annotations = new HashMap<>(Objects.requireNonNullElse(current.getMetadata().getAnnotations(), Map.of()));
                    annotations.put(key, value);
                    current.getMetadata().setAnnotations(annotations);
                    return current;
                }).call(updated -> api.awaitObserved(List.of(updated))).replaceWithVoid();
    }

    /** The Deployment's annotations a ReplicaSet inherits (change-cause among them, for rollout history). */
    private static Map<String, String> copiedAnnotations(Deployment deployment) {
        Map<String, String> copied = new LinkedHashMap<>();
        Objects.requireNonNullElse(deployment.getMetadata().getAnnotations(), Map.<String, String> of()).forEach((key, value) -> {
            if (!key.startsWith("deployment.kubernetes.io/") && !key.equals("kubectl.kubernetes.io/last-applied-configuration")) {
                copied.put(key, value);
            }
        });
        return copied;
    }

    static boolean sameTemplate(PodTemplateSpec replicaSetTemplate, PodTemplateSpec deploymentTemplate) {
        return PodTemplateHash.withoutHashLabel(replicaSetTemplate).equals(PodTemplateHash.withoutHashLabel(deploymentTemplate));
    }

    private static int[] fenceposts(Deployment deployment, int replicas) {
        var strategy = deployment.getSpec().getStrategy();
        var rolling = strategy == null ? null : strategy.getRollingUpdate();
        return RolloutMath.fenceposts(rolling == null ? null : rolling.getMaxSurge(), rolling == null ? null : rolling.getMaxUnavailable(), replicas);
    }

    private static String strategyOf(Deployment deployment) {
        return deployment.getSpec().getStrategy() == null ? "RollingUpdate"
                : Objects.requireNonNullElse(deployment.getSpec().getStrategy().getType(), "RollingUpdate");
    }

    private static Map<String, String> labelsOf(PodTemplateSpec template) {
        return template.getMetadata() == null ? Map.of() : Objects.requireNonNullElse(template.getMetadata().getLabels(), Map.of());
    }

    static long revisionOf(ReplicaSet replicaSet) {
        String value = annotation(replicaSet.getMetadata(), REVISION);
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String annotation(ObjectMeta metadata, String key) {
        return metadata.getAnnotations() == null ? null : metadata.getAnnotations().get(key);
    }

    private static int specReplicas(ReplicaSet replicaSet) {
        return zero(replicaSet.getSpec().getReplicas());
    }

    private static int statusReplicas(ReplicaSet replicaSet) {
        return replicaSet.getStatus() == null ? 0 : zero(replicaSet.getStatus().getReplicas());
    }

    private static int available(ReplicaSet replicaSet) {
        return replicaSet.getStatus() == null ? 0 : zero(replicaSet.getStatus().getAvailableReplicas());
    }

    /** Sum of spec.replicas, or of available replicas. */
    private static int sum(List<ReplicaSet> sets, boolean availableOnly) {
        return sets.stream().mapToInt(rs -> availableOnly ? available(rs) : specReplicas(rs)).sum();
    }

    private static int zero(Integer value) {
        return value == null ? 0 : value;
    }

    private static Uni<Void> joinAll(List<Uni<Void>> all) {
        return all.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(all).andFailFast().replaceWithVoid();
    }
}
