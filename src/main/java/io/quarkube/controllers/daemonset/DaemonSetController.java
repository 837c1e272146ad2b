package io.quarkube.controllers.daemonset;

import static io.quarkube.controllers.runtime.Owners.controllerOf;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.quarkube.client.ApiClient;
import io.quarkube.client.EventRecorder;
import io.quarkube.client.Informer;
import io.quarkube.controllers.runtime.Controller;
import io.quarkube.controllers.runtime.ObjectRef;
import io.quarkube.controllers.runtime.Reconciler;
import io.quarkube.controllers.runtime.Result;
import io.quarkube.controllers.runtime.Watches;
import io.quarkube.leaderelection.LeaderElectionConfig;
import io.quarkube.leaderelection.LeaderElector;
import io.quarkube.registry.DeleteOptions;
import io.quarkube.registry.GenericStore.Part;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Runs one pod of each DaemonSet on every eligible node, as kube-controller-manager's daemon
 * controller does: creates the missing pods (pinned to their node through a required node
 * affinity on metadata.name, which the scheduler honours), deletes pods on nodes that no longer
 * qualify, extra pods and failed ones, replaces pods of an old template at most maxUnavailable
 * nodes at a time (RollingUpdate; OnDelete leaves them), and reports the status counts. Each
 * template is kept as a ControllerRevision (kubectl rollout history/undo read them) whose hash
 * the pods carry in the controller-revision-hash label.
 */
@ApplicationScoped
public class DaemonSetController implements Controller, Reconciler {

    @Inject
    ApiClient api;
    @Inject
    Vertx vertx;
    @Inject
    LeaderElectionConfig leaderElection;

    private EventRecorder events;
    private Informer<DaemonSet> daemonSets;
    private Informer<Node> nodes;
    private Informer<Pod> pods;
    private Informer<ControllerRevision> revisions;
    private Watches watches;

    @Override
    public String name() {
        return "daemonset-controller";
    }

    @Override
    public Uni<Void> start() {
        events = new EventRecorder(api, name(), LeaderElector.identity(leaderElection));
        watches = new Watches(name(), this, api, vertx, 5);
        pods = watches.owns(Pod.class, "DaemonSet");
        nodes = watches.watch(Node.class, new Informer.Handler<>() {
            @Override
            public void onAdd(Node node) {
                enqueueAll();
            }

            @Override
            public void onUpdate(Node before, Node after) {
                if (!Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())
                        || !Objects.equals(before.getSpec(), after.getSpec())) {
                    enqueueAll();
                }
            }

            @Override
            public void onDelete(Node node) {
                enqueueAll();
            }
        });
        revisions = watches.cache(ControllerRevision.class);
        daemonSets = watches.forKind(DaemonSet.class);
        return watches.start();
    }

    @Override
    public void stop() {
        if (watches != null) {
            watches.stop();
        }
    }

    private void enqueueAll() {
        daemonSets.list().forEach(daemonSet -> watches.enqueue(ObjectRef.of(daemonSet)));
    }

    @Override
    public Uni<Result> reconcile(ObjectRef key) {
        DaemonSet daemonSet = daemonSets.get(key.namespace(), key.name());
        if (daemonSet == null || daemonSet.getMetadata().getDeletionTimestamp() != null) {
            return Uni.createFrom().item(Result.done());
        }
        return currentRevision(daemonSet).flatMap(current -> syncPods(key, daemonSet, RevisionHistory.hashOf(current))
                .call(ignored -> cleanUpHistory(daemonSet, current)));
    }

    private List<ControllerRevision> revisionsOf(DaemonSet daemonSet) {
        String uid = daemonSet.getMetadata().getUid();
        return revisions.list(r -> daemonSet.getMetadata().getNamespace().equals(r.getMetadata().getNamespace())
                && controllerOf(r.getMetadata()) != null && uid.equals(controllerOf(r.getMetadata()).getUid()));
    }

    /**
     * The ControllerRevision of the current template: created with the next number when the
     * template is new, renumbered as the newest when an old template comes back (an undo).
     */
    private Uni<ControllerRevision> currentRevision(DaemonSet daemonSet) {
        List<ControllerRevision> history = revisionsOf(daemonSet);
        long max = RevisionHistory.maxRevision(history);
        ControllerRevision current = history.stream().filter(r -> RevisionHistory.holdsTemplate(r, daemonSet))
                .max(java.util.Comparator.comparingLong(r -> Objects.requireNonNullElse(r.getRevision(), 0L))).orElse(null);
        Uni<ControllerRevision> written;
        if (current == null) {
            String hash = DaemonPlacement.templateHash(daemonSet.getSpec().getTemplate());
            written = api.create(RevisionHistory.newRevision(daemonSet, hash, max + 1));
        } else if (Objects.requireNonNullElse(current.getRevision(), 0L) < max) {
            written = api.modify(ControllerRevision.class, current.getMetadata().getNamespace(), current.getMetadata().getName(), Part.MAIN,
                    latest -> {
                        latest.setRevision(max + 1);
                        return latest;
                    });
        } else {
            return Uni.createFrom().item(current);
        }
        return written.call(revision -> api.awaitObserved(List.of(revision)));
    }

    /** Old revisions beyond revisionHistoryLimit that no live pod uses go, oldest first. */
    private Uni<Void> cleanUpHistory(DaemonSet daemonSet, ControllerRevision current) {
        int limit = Objects.requireNonNullElse(daemonSet.getSpec().getRevisionHistoryLimit(), RevisionHistory.DEFAULT_LIMIT);
        java.util.Set<String> inUse = new java.util.HashSet<>();
        podsByNode(daemonSet).values().forEach(list -> list.forEach(pod -> inUse.add(labelOf(pod, DaemonPlacement.REVISION_HASH))));
        List<Uni<Boolean>> deletes = RevisionHistory.beyondLimit(revisionsOf(daemonSet), current, inUse, limit).stream()
                .map(r -> api.delete(ControllerRevision.class, r.getMetadata().getNamespace(), r.getMetadata().getName(),
                        new DeleteOptions(false, null, null, r.getMetadata().getUid(), null)))
                .toList();
        return deletes.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(deletes).andFailFast().replaceWithVoid();
    }

    private Uni<Result> syncPods(ObjectRef key, DaemonSet daemonSet, String hash) {
        Map<String, List<Pod>> byNode = podsByNode(daemonSet);
        java.util.Set<String> terminatingOn = terminatingOn(daemonSet);
        List<String> create = new ArrayList<>();
        List<Pod> delete = new ArrayList<>();
        List<Node> eligible = new ArrayList<>();
        for (Node node : nodes.list()) {
            String nodeName = node.getMetadata().getName();
            List<Pod> here = byNode.getOrDefault(nodeName, List.of());
            boolean shouldRun = DaemonPlacement.shouldRun(daemonSet.getSpec().getTemplate(), node);
            boolean mayStay = DaemonPlacement.shouldContinueRunning(daemonSet.getSpec().getTemplate(), node);
            if (shouldRun) {
                eligible.add(node);
            }
            List<Pod> failed = here.stream().filter(pod -> "Failed".equals(phase(pod))).toList();
            delete.addAll(failed);
            List<Pod> live = here.stream().filter(pod -> !"Failed".equals(phase(pod))).toList();
            if (shouldRun && live.isEmpty() && !terminatingOn.contains(nodeName)) {
                // as kube: a node whose daemon pod is still terminating gets the next one once it is gone
                create.add(nodeName);
            } else if (mayStay && live.size() > 1) {
                // keep the oldest
                live.stream().sorted(Comparator.comparing((Pod pod) -> Objects.requireNonNullElse(pod.getMetadata().getCreationTimestamp(), "")))
                        .skip(1).forEach(delete::add);
            } else if (!mayStay) {
                delete.addAll(live);
            }
        }
        byNode.forEach((nodeName, here) -> {
            if (nodes.get("", nodeName) == null) {
                delete.addAll(here);
            }
        });
        delete.addAll(rollingUpdateVictims(daemonSet, hash, eligible, byNode, delete));
        return createPods(daemonSet, hash, create).flatMap(ignored -> deletePods(daemonSet, delete))
                .flatMap(ignored -> updateStatus(key, hash));
    }

    /**
     * RollingUpdate: pods of an old template to delete now. An old pod that is not available goes
     * at once; available ones only while fewer than maxUnavailable eligible nodes lack an available pod.
     */
    private List<Pod> rollingUpdateVictims(DaemonSet daemonSet, String hash, List<Node> eligible, Map<String, List<Pod>> byNode,
            List<Pod> alreadyDeleted) {
        var strategy = daemonSet.getSpec().getUpdateStrategy();
        if (strategy != null && "OnDelete".equals(strategy.getType())) {
            return List.of();
        }
        var rolling = strategy == null ? null : strategy.getRollingUpdate();
        int maxUnavailable = DaemonPlacement.maxUnavailable(rolling == null ? null : rolling.getMaxUnavailable(), eligible.size());
        int minReady = Objects.requireNonNullElse(daemonSet.getSpec().getMinReadySeconds(), 0);
        Instant now = Instant.now();
        int unavailable = 0;
        List<Pod> oldAvailable = new ArrayList<>();
        List<Pod> victims = new ArrayList<>();
        for (Node node : eligible) {
            List<Pod> here = byNode.getOrDefault(node.getMetadata().getName(), List.of()).stream()
                    .filter(pod -> !alreadyDeleted.contains(pod)).toList();
            boolean available = here.stream().anyMatch(pod -> isAvailable(pod, minReady, now));
            if (!available) {
                unavailable++;
            }
            for (Pod pod : here) {
                if (hash.equals(labelOf(pod, DaemonPlacement.REVISION_HASH))) {
                    continue;
                }
                if (isAvailable(pod, minReady, now)) {
                    oldAvailable.add(pod);
                } else {
                    victims.add(pod);
                }
            }
        }
        for (Pod pod : oldAvailable) {
            if (unavailable >= maxUnavailable) {
                break;
            }
            victims.add(pod);
            unavailable++;
        }
        return victims;
    }

    /** Nodes where one of the DaemonSet's pods is being deleted. */
    private java.util.Set<String> terminatingOn(DaemonSet daemonSet) {
        String uid = daemonSet.getMetadata().getUid();
        java.util.Set<String> nodeNames = new java.util.HashSet<>();
        for (Pod pod : pods.list(p -> daemonSet.getMetadata().getNamespace().equals(p.getMetadata().getNamespace())
                && p.getMetadata().getDeletionTimestamp() != null && controllerOf(p.getMetadata()) != null
                && uid.equals(controllerOf(p.getMetadata()).getUid()))) {
            String node = DaemonPlacement.targetNode(pod);
            if (node != null) {
                nodeNames.add(node);
            }
        }
        return nodeNames;
    }

    private Map<String, List<Pod>> podsByNode(DaemonSet daemonSet) {
        String uid = daemonSet.getMetadata().getUid();
        Map<String, List<Pod>> byNode = new HashMap<>();
        for (Pod pod : pods.list(p -> daemonSet.getMetadata().getNamespace().equals(p.getMetadata().getNamespace())
                && p.getMetadata().getDeletionTimestamp() == null && controllerOf(p.getMetadata()) != null
                && uid.equals(controllerOf(p.getMetadata()).getUid()))) {
            String node = DaemonPlacement.targetNode(pod);
            if (node != null) {
                byNode.computeIfAbsent(node, ignored -> new ArrayList<>()).add(pod);
            }
        }
        return byNode;
    }

    private Uni<List<Pod>> createPods(DaemonSet daemonSet, String hash, List<String> nodeNames) {
        List<Uni<Pod>> creates = new ArrayList<>();
        for (String nodeName : nodeNames) {
            creates.add(api.create(podFor(daemonSet, hash, nodeName))
                    .call(pod -> events.normal(daemonSet, "SuccessfulCreate", null, "Created pod: " + pod.getMetadata().getName()))
                    .onFailure().call(failure -> events.warning(daemonSet, "FailedCreate", null, "Error creating: " + failure.getMessage())));
        }
        return api.settle(creates);
    }

    private Uni<List<Pod>> deletePods(DaemonSet daemonSet, List<Pod> victims) {
        List<Uni<Pod>> deletes = new ArrayList<>();
        for (Pod pod : victims.stream().distinct().toList()) {
            deletes.add(api.deleteObject(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                    new DeleteOptions(false, null, null, pod.getMetadata().getUid(), null))
                    .call(deleted -> events.normal(daemonSet, "SuccessfulDelete", null, "Deleted pod: " + pod.getMetadata().getName())));
        }
        return api.settle(deletes);
    }


    static Pod podFor(DaemonSet daemonSet, String hash, String nodeName) {
        var template = daemonSet.getSpec().getTemplate();
        ObjectMeta metadata = new ObjectMeta();
        metadata.setGenerateName(daemonSet.getMetadata().getName() + "-");
        metadata.setNamespace(daemonSet.getMetadata().getNamespace());
        Map<String, String> labels = new HashMap<>();
        if (template.getMetadata() != null) {
            if (template.getMetadata().getLabels() != null) {
                labels.putAll(template.getMetadata().getLabels());
            }
            metadata.setAnnotations(template.getMetadata().getAnnotations());
        }
        labels.put(DaemonPlacement.REVISION_HASH, hash);
        metadata.setLabels(labels);
        metadata.setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("DaemonSet")
                .withName(daemonSet.getMetadata().getName()).withUid(daemonSet.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build()));
        Pod pod = new Pod();
        pod.setMetadata(metadata);
        pod.setSpec(DaemonPlacement.specFor(template, nodeName));
        return pod;
    }

    /** Writes kube's counts as seen now; asks for another look when a ready pod becomes available later. */
    private Uni<Result> updateStatus(ObjectRef key, String hash) {
        DaemonSet daemonSet = daemonSets.get(key.namespace(), key.name());
        if (daemonSet == null) {
            return Uni.createFrom().item(Result.done());
        }
        Map<String, List<Pod>> byNode = podsByNode(daemonSet);
        int minReady = Objects.requireNonNullElse(daemonSet.getSpec().getMinReadySeconds(), 0);
        Instant now = Instant.now();
        int desired = 0, current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0;
        Duration nextAvailable = null;
        for (Node node : nodes.list()) {
            List<Pod> here = byNode.getOrDefault(node.getMetadata().getName(), List.of());
            boolean shouldRun = DaemonPlacement.shouldRun(daemonSet.getSpec().getTemplate(), node);
            if (!shouldRun) {
                if (!here.isEmpty()) {
                    misscheduled++;
                }
                continue;
            }
            desired++;
            if (here.isEmpty()) {
                continue;
            }
            current++;
            Pod pod = here.get(0);
            if (isReady(pod)) {
                ready++;
                Duration wait = untilAvailable(pod, minReady, now);
                if (wait.isZero()) {
                    available++;
                } else if (nextAvailable == null || wait.compareTo(nextAvailable) < 0) {
                    nextAvailable = wait;
                }
            }
            if (here.stream().anyMatch(p -> hash.equals(labelOf(p, DaemonPlacement.REVISION_HASH)))) {
                updated++;
            }
        }
        DaemonSetStatus stored = daemonSet.getStatus() == null ? new DaemonSetStatus() : daemonSet.getStatus();
        DaemonSetStatus wanted = new DaemonSetStatus(stored.getCollisionCount(), stored.getConditions(), current, desired, available,
                misscheduled, ready, desired - available > 0 ? desired - available : null, daemonSet.getMetadata().getGeneration(), updated);
        Result result = nextAvailable == null ? Result.done() : Result.requeueAfter(nextAvailable.plusMillis(100));
        if (sameCounts(stored, wanted)) {
            return Uni.createFrom().item(result);
        }
        return api.modify(DaemonSet.class, key.namespace(), key.name(), Part.STATUS, latest -> {
            latest.setStatus(wanted);
            return latest;
        }).replaceWith(result).onFailure(ApiClient::isNotFound).recoverWithItem(Result.done());
    }

    private static boolean sameCounts(DaemonSetStatus a, DaemonSetStatus b) {
        return zero(a.getCurrentNumberScheduled()) == zero(b.getCurrentNumberScheduled())
                && zero(a.getDesiredNumberScheduled()) == zero(b.getDesiredNumberScheduled())
                && zero(a.getNumberAvailable()) == zero(b.getNumberAvailable())
                && zero(a.getNumberMisscheduled()) == zero(b.getNumberMisscheduled())
                && zero(a.getNumberReady()) == zero(b.getNumberReady())
                && zero(a.getNumberUnavailable()) == zero(b.getNumberUnavailable())
                && zero(a.getUpdatedNumberScheduled()) == zero(b.getUpdatedNumberScheduled())
                && Objects.equals(a.getObservedGeneration(), b.getObservedGeneration());
    }

    private static int zero(Integer value) {
        return value == null ? 0 : value;
    }

    private static String phase(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    private static String labelOf(Pod pod, String label) {
        return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(label);
    }

    private static PodCondition readyCondition(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream()
                .filter(condition -> "Ready".equals(condition.getType()) && "True".equals(condition.getStatus()))
                .findFirst().orElse(null);
    }

    private static boolean isReady(Pod pod) {
        return readyCondition(pod) != null;
    }

    private static boolean isAvailable(Pod pod, int minReadySeconds, Instant now) {
        return isReady(pod) && untilAvailable(pod, minReadySeconds, now).isZero();
    }

    private static Duration untilAvailable(Pod pod, int minReadySeconds, Instant now) {
        PodCondition ready = readyCondition(pod);
        if (ready == null || minReadySeconds <= 0 || ready.getLastTransitionTime() == null) {
            return Duration.ZERO;
        }
        Instant availableAt = Instant.parse(ready.getLastTransitionTime()).plusSeconds(minReadySeconds);
        return now.isBefore(availableAt) ? Duration.between(now, availableAt) : Duration.ZERO;
    }
}
