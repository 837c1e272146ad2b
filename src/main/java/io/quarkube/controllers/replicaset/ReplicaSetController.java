package io.quarkube.controllers.replicaset;

import static io.quarkube.controllers.runtime.Owners.controllerOf;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.quarkube.client.ApiClient;
import io.quarkube.client.EventRecorder;
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
import io.quarkube.registry.LabelSelector;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Keeps {@code spec.replicas} pods matching each ReplicaSet's selector, as kube-controller-manager's
 * ReplicaSet controller: adopts matching orphans, releases owned pods that stop matching, creates
 * pods from the template, deletes the least valuable pods first when scaling down, and reports
 * status through /status. After creating or deleting it waits until its informers have seen
 * those writes, so a reconcile never acts on a cache that misses its own last changes.
 */
@ApplicationScoped
public class ReplicaSetController implements Controller, Reconciler {

    /** kube's burst limit: pods created or deleted per ReplicaSet and sync. */
    static final int BURST = 500;

    @Inject
    ApiClient api;
    @Inject
    Vertx vertx;
    @Inject
    LeaderElectionConfig leaderElection;

    private EventRecorder events;

    private Informer<ReplicaSet> replicaSets;
    private Informer<Pod> pods;
    private Watches watches;

    @Override
    public String name() {
        return "replicaset-controller";
    }

    @Override
    public Uni<Void> start() {
        events = new EventRecorder(api, name(), LeaderElector.identity(leaderElection));
        watches = new Watches(name(), this, api, vertx, 5);
        pods = watches.watch(Pod.class, Informer.Handler.onEveryChangeOldAndNew(this::enqueueConcerned));
        replicaSets = watches.forKind(ReplicaSet.class);
        return watches.start();
    }

    @Override
    public void stop() {
        if (watches != null) {
            watches.stop();
        }
    }

    /** The pod's controlling ReplicaSet, or for an orphan every ReplicaSet whose selector matches it (adoption). */
    private void enqueueConcerned(Pod pod) {
        if (controllerOf(pod.getMetadata()) != null) {
            watches.enqueueControllerOf(pod, "ReplicaSet");
            return;
        }
        String namespace = pod.getMetadata().getNamespace();
        for (ReplicaSet replicaSet : replicaSets.list(rs -> namespace.equals(rs.getMetadata().getNamespace()))) {
            if (selector(replicaSet).matches(pod.getMetadata().getLabels())) {
                watches.enqueue(ObjectRef.of(replicaSet));
            }
        }
    }

    @Override
    public Uni<Result> reconcile(ObjectRef key) {
        ReplicaSet replicaSet = replicaSets.get(key.namespace(), key.name());
        if (replicaSet == null) {
            return Uni.createFrom().item(Result.done());
        }
        String uid = replicaSet.getMetadata().getUid();
        LabelSelector selector = selector(replicaSet);
        boolean deleting = replicaSet.getMetadata().getDeletionTimestamp() != null;

        // filled from the adoption callbacks too, which may run on other threads
        List<Pod> owned = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Uni<Pod>> claims = new ArrayList<>();
        for (Pod pod : pods.list(p -> key.namespace().equals(p.getMetadata().getNamespace()))) {
            OwnerReference controller = controllerOf(pod.getMetadata());
            // the labels alone: a pod turned into a JSON tree per pod and reconcile cost half the
            // control plane's CPU with a thousand pods in a namespace
            boolean matches = selector.matches(pod.getMetadata().getLabels());
            boolean ours = controller != null && uid.equals(controller.getUid());
            if (ours && matches) {
                owned.add(pod);
            } else if (ours) {
                claims.add(release(pod, uid));
            } else if (controller == null && matches && !deleting && pod.getMetadata().getDeletionTimestamp() == null) {
                claims.add(adopt(pod, replicaSet).invoke(adopted -> {
                    OwnerReference now = adopted == null ? null : controllerOf(adopted.getMetadata());
                    if (now != null && uid.equals(now.getUid())) {
                        owned.add(adopted);
                    }
                }));
            }
        }
        Uni<List<Pod>> claimed = api.settle(claims);
        return claimed.flatMap(afterClaims -> {
            List<Pod> active = owned.stream().filter(ReplicaSetController::isActive).toList();
            int wanted = Objects.requireNonNullElse(replicaSet.getSpec().getReplicas(), 1);
            int diff = deleting ? 0 : wanted - active.size();
            Uni<List<Pod>> changes;
            if (diff > 0) {
                changes = createPods(replicaSet, Math.min(diff, BURST));
            } else if (diff < 0) {
                changes = deletePods(replicaSet, victims(active, Math.min(-diff, BURST)));
            } else {
                changes = Uni.createFrom().item(List.of());
            }
            return changes.flatMap(ignored -> updateStatus(key));
        });
    }

    private Uni<List<Pod>> createPods(ReplicaSet replicaSet, int count) {
        List<Uni<Pod>> creates = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            creates.add(api.create(podFrom(replicaSet))
                    .call(pod -> events.normal(replicaSet, "SuccessfulCreate", null, "Created pod: " + pod.getMetadata().getName()))
                    .onFailure().call(failure -> events.warning(replicaSet, "FailedCreate", null, "Error creating: " + failure.getMessage())));
        }
        return api.settle(creates);
    }

    private Uni<List<Pod>> deletePods(ReplicaSet replicaSet, List<Pod> victims) {
        List<Uni<Pod>> deletes = new ArrayList<>();
        for (Pod pod : victims) {
            deletes.add(api.deleteObject(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                    new DeleteOptions(false, null, null, pod.getMetadata().getUid(), null))
                    .call(deleted -> events.normal(replicaSet, "SuccessfulDelete", null, "Deleted pod: " + pod.getMetadata().getName())));
        }
        return api.settle(deletes);
    }


    /** A pod from the template: generated name, the template's labels and spec, this ReplicaSet as its controller. */
    static Pod podFrom(ReplicaSet replicaSet) {
        Pod pod = new Pod();
        ObjectMeta template = replicaSet.getSpec().getTemplate().getMetadata();
        ObjectMeta metadata = new ObjectMeta();
        metadata.setGenerateName(replicaSet.getMetadata().getName() + "-");
        metadata.setNamespace(replicaSet.getMetadata().getNamespace());
        if (template != null) {
            metadata.setLabels(template.getLabels());
            metadata.setAnnotations(template.getAnnotations());
            metadata.setFinalizers(template.getFinalizers());
        }
        metadata.setOwnerReferences(List.of(controllerReference(replicaSet)));
        pod.setMetadata(metadata);
        pod.setSpec(replicaSet.getSpec().getTemplate().getSpec());
        return pod;
    }

    static OwnerReference controllerReference(ReplicaSet replicaSet) {
        return new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet")
                .withName(replicaSet.getMetadata().getName()).withUid(replicaSet.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    /** Makes the ReplicaSet the pod's controller, unless the pod changed meanwhile (then the next look decides). */
    private Uni<Pod> adopt(Pod pod, ReplicaSet replicaSet) {
        return api.modify(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), Part.MAIN, current -> {
            if (!Objects.equals(current.getMetadata().getUid(), pod.getMetadata().getUid()) || controllerOf(current.getMetadata()) != null) {
                return current;
            }
            List<OwnerReference> references = new ArrayList<>(current.getMetadata().getOwnerReferences());
            references.add(controllerReference(replicaSet));
            current.getMetadata().setOwnerReferences(references);
            return current;
        }).onFailure(ApiClient::isNotFound).recoverWithNull();
    }

    /** Drops the ReplicaSet's reference from a pod that no longer matches its selector. */
    private Uni<Pod> release(Pod pod, String uid) {
        return api.modify(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), Part.MAIN, current -> {
            current.getMetadata().setOwnerReferences(current.getMetadata().getOwnerReferences().stream()
                    .filter(reference -> !uid.equals(reference.getUid())).toList());
            return current;
        }).onFailure(ApiClient::isNotFound).recoverWithNull();
    }

    /**
     * The pods to delete when scaling down, as kube ranks them: unscheduled before scheduled,
     * pending before running, not ready before ready, more restarts first, newest first.
     */
    static List<Pod> victims(List<Pod> active, int count) {
        Comparator<Pod> order = Comparator.<Pod, Boolean> comparing(pod -> pod.getSpec().getNodeName() != null)
                .thenComparing(pod -> phaseRank(pod))
                .thenComparing(ReplicaSetController::isReady)
                .thenComparing(Comparator.comparingInt(ReplicaSetController::restarts).reversed())
                .thenComparing(Comparator.comparing((Pod pod) -> Objects.requireNonNullElse(pod.getMetadata().getCreationTimestamp(), "")).reversed());
        return active.stream().sorted(order).limit(count).toList();
    }

    private static int phaseRank(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return phase == null || "Pending".equals(phase) ? 0 : "Unknown".equals(phase) ? 1 : 2;
    }

    private static int restarts(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return 0;
        }
        return pod.getStatus().getContainerStatuses().stream().mapToInt(status -> Objects.requireNonNullElse(status.getRestartCount(), 0)).sum();
    }

    /** Counted against replicas: not being deleted and not finished. */
    static boolean isActive(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return pod.getMetadata().getDeletionTimestamp() == null && !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    static boolean isReady(Pod pod) {
        return readyCondition(pod) != null;
    }

    private static PodCondition readyCondition(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream()
                .filter(condition -> "Ready".equals(condition.getType()) && "True".equals(condition.getStatus()))
                .findFirst().orElse(null);
    }

    /** Ready for at least minReadySeconds; the remaining wait when not yet, else null. */
    static Duration untilAvailable(Pod pod, int minReadySeconds, Instant now) {
        PodCondition ready = readyCondition(pod);
        if (ready == null) {
            return null;
        }
        if (minReadySeconds <= 0 || ready.getLastTransitionTime() == null) {
            return Duration.ZERO;
        }
        Instant availableAt = Instant.parse(ready.getLastTransitionTime()).plusSeconds(minReadySeconds);
        return now.isBefore(availableAt) ? Duration.between(now, availableAt) : Duration.ZERO;
    }

    /** Writes the counts as seen now; asks for another look when a ready pod will become available later. */
    private Uni<Result> updateStatus(ObjectRef key) {
        ReplicaSet replicaSet = replicaSets.get(key.namespace(), key.name());
        if (replicaSet == null) {
            return Uni.createFrom().item(Result.done());
        }
        String uid = replicaSet.getMetadata().getUid();
        Map<String, String> templateLabels = replicaSet.getSpec().getTemplate().getMetadata() == null ? Map.of()
                : Objects.requireNonNullElse(replicaSet.getSpec().getTemplate().getMetadata().getLabels(), Map.of());
        int minReady = Objects.requireNonNullElse(replicaSet.getSpec().getMinReadySeconds(), 0);
        Instant now = Instant.now();
        int replicas = 0, fullyLabeled = 0, ready = 0, available = 0;
        Duration nextAvailable = null;
        for (Pod pod : pods.list(p -> key.namespace().equals(p.getMetadata().getNamespace()))) {
            OwnerReference controller = controllerOf(pod.getMetadata());
            if (controller == null || !uid.equals(controller.getUid()) || !isActive(pod)) {
                continue;
            }
            replicas++;
            Map<String, String> labels = Objects.requireNonNullElse(pod.getMetadata().getLabels(), Map.of());
            if (labels.entrySet().containsAll(templateLabels.entrySet())) {
                fullyLabeled++;
            }
            Duration wait = untilAvailable(pod, minReady, now);
            if (wait != null) {
                ready++;
                if (wait.isZero()) {
                    available++;
                } else if (nextAvailable == null || wait.compareTo(nextAvailable) < 0) {
                    nextAvailable = wait;
                }
            }
        }
        ReplicaSetStatus current = replicaSet.getStatus() == null ? new ReplicaSetStatus() : replicaSet.getStatus();
        ReplicaSetStatus wanted = new ReplicaSetStatus(available, current.getConditions(), fullyLabeled,
                replicaSet.getMetadata().getGeneration(), ready, replicas, null);
        Result result = nextAvailable == null ? Result.done() : Result.requeueAfter(nextAvailable.plusMillis(100));
        if (sameCounts(current, wanted)) {
            return Uni.createFrom().item(result);
        }
        return api.modify(ReplicaSet.class, key.namespace(), key.name(), Part.STATUS, latest -> {
            latest.setStatus(wanted);
            return latest;
        }).replaceWith(result).onFailure(ApiClient::isNotFound).recoverWithItem(Result.done());
    }

    private static boolean sameCounts(ReplicaSetStatus a, ReplicaSetStatus b) {
        return Objects.equals(zero(a.getReplicas()), zero(b.getReplicas()))
                && Objects.equals(zero(a.getReadyReplicas()), zero(b.getReadyReplicas()))
                && Objects.equals(zero(a.getAvailableReplicas()), zero(b.getAvailableReplicas()))
                && Objects.equals(zero(a.getFullyLabeledReplicas()), zero(b.getFullyLabeledReplicas()))
                && Objects.equals(a.getObservedGeneration(), b.getObservedGeneration());
    }

    private static int zero(Integer value) {
        return value == null ? 0 : value;
    }

    private static LabelSelector selector(ReplicaSet replicaSet) {
        return LabelSelector.parse(LabelSelector.textOf(Json.MAPPER.valueToTree(replicaSet.getSpec().getSelector())));
    }
}
