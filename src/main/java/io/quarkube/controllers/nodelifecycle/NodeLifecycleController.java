package io.quarkube.controllers.nodelifecycle;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.quarkube.client.ApiClient;
import io.quarkube.client.EventRecorder;
import io.quarkube.client.Informer;
import io.quarkube.controllers.runtime.ControllerRunner;
import io.quarkube.controllers.runtime.ObjectRef;
import io.quarkube.controllers.runtime.Reconciler;
import io.quarkube.controllers.runtime.Result;
import io.quarkube.json.Timestamps;
import io.quarkube.leaderelection.LeaderElectionConfig;
import io.quarkube.controllers.runtime.Controller;
import io.quarkube.leaderelection.LeaderElector;
import io.quarkube.registry.DeleteOptions;
import io.quarkube.registry.GenericStore.Part;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * kube-controller-manager's node lifecycle controller, per node: a node whose heartbeat (its Lease
 * in kube-node-lease, or its Ready condition's lastHeartbeatTime) has not changed for the grace
 * period — measured on this replica's clock from when a change was last seen — gets its kubelet
 * conditions set to Unknown. A node not Ready carries the not-ready (Ready=False) or unreachable
 * (Unknown) NoSchedule and NoExecute taints, removed once it is Ready again; pods on a node with
 * NoExecute taints they do not tolerate are deleted, at once or after their tolerationSeconds; the
 * Ready condition of its pods is set to False.
 * Run by the {@link io.quarkube.controllers.runtime.ControllerManager}, on the replica holding the
 * kube-controller-manager Lease.
 */
@ApplicationScoped
public class NodeLifecycleController implements Controller, Reconciler {

    static final String NODE_LEASE_NAMESPACE = "kube-node-lease";
    static final String COMPONENT = "node-controller";
    private static final Logger LOG = Logger.getLogger(NodeLifecycleController.class);

    @Inject
    ApiClient api;
    @Inject
    Vertx vertx;
    @Inject
    NodeLifecycleConfig config;
    @Inject
    LeaderElectionConfig leaderElection;

    /** The last heartbeat seen per node and when (System.nanoTime) it was first seen. */
    private record Observation(String heartbeat, long seenAtNanos) {
    }

    private final Map<String, Observation> observations = new ConcurrentHashMap<>();
    /** Pods (by uid) this controller deleted, until the informer shows them marked: one eviction each. */
    private final java.util.Set<String> evicted = ConcurrentHashMap.newKeySet();
    private EventRecorder events;
    private volatile Run run;

    @Override
    public String name() {
        return COMPONENT;
    }

    @Override
    public Uni<Void> start() {
        if (config.enabled()) {
            events = new EventRecorder(api, COMPONENT, LeaderElector.identity(leaderElection));
            begin();
        }
        return Uni.createFrom().voidItem();
    }

    private synchronized void begin() {
        if (run == null) {
            run = new Run();
            run.start();
        }
    }

    @Override
    public synchronized void stop() {
        if (run != null) {
            run.stop();
            run = null;
            observations.clear();
        }
    }

    /** Informers and the runner of one term of leadership. */
    private final class Run {
        final Informer<Node> nodes = api.informer(Node.class, "");
        final Informer<Lease> leases = api.informer(Lease.class, NODE_LEASE_NAMESPACE);
        final Informer<Pod> pods = api.informer(Pod.class, "");
        final ControllerRunner runner = new ControllerRunner("node-lifecycle", NodeLifecycleController.this, vertx, 4);

        void start() {
            nodes.addHandler(new Informer.Handler<>() {
                @Override
                public void onAdd(Node node) {
                    runner.enqueue(ObjectRef.of(node));
                }

                @Override
                public void onUpdate(Node before, Node after) {
                    runner.enqueue(ObjectRef.of(after));
                }
            });
            leases.addHandler(new Informer.Handler<>() {
                @Override
                public void onAdd(Lease lease) {
                    runner.enqueue(new ObjectRef("", lease.getMetadata().getName()));
                }

                @Override
                public void onUpdate(Lease before, Lease after) {
                    runner.enqueue(new ObjectRef("", after.getMetadata().getName()));
                }
            });
            pods.addHandler(new Informer.Handler<>() {
                @Override
                public void onAdd(Pod pod) {
                    onUpdate(null, pod);
                }

                @Override
                public void onDelete(Pod pod) {
                    evicted.remove(pod.getMetadata().getUid());
                }

                @Override
                public void onUpdate(Pod before, Pod after) {
                    if (after.getMetadata().getDeletionTimestamp() != null) {
                        evicted.remove(after.getMetadata().getUid());
                    }
                    String node = after.getSpec().getNodeName();
                    if (node != null && !node.isEmpty() && (before == null || !node.equals(before.getSpec().getNodeName())
                            || !Objects.equals(before.getSpec().getTolerations(), after.getSpec().getTolerations()))) {
                        runner.enqueue(new ObjectRef("", node));
                    }
                }
            });
            Uni.join().all(leases.start(), pods.start()).andFailFast().flatMap(synced -> nodes.start())
                    .subscribe().with(synced -> runner.start(),
                            failure -> LOG.errorf(failure, "node lifecycle controller could not start its informers"));
        }

        void stop() {
            runner.stop();
            nodes.stop();
            leases.stop();
            pods.stop();
        }
    }

    @Override
    public Uni<Result> reconcile(ObjectRef key) {
        Run current = run;
        if (current == null) {
            return Uni.createFrom().item(Result.done());
        }
        Node node = current.nodes.get("", key.name());
        if (node == null) {
            observations.remove(key.name());
            return Uni.createFrom().item(Result.done());
        }
        long now = System.nanoTime();
        Observation seen = observations.compute(key.name(), (name, before) -> {
            String heartbeat = heartbeat(node, current.leases.get(NODE_LEASE_NAMESPACE, name));
            return before != null && before.heartbeat().equals(heartbeat) ? before : new Observation(heartbeat, now);
        });
        long silent = now - seen.seenAtNanos();
        long grace = config.nodeMonitorGracePeriod().toNanos();
        boolean lost = silent > grace;
        Uni<Node> conditions = lost ? markUnknown(node) : Uni.createFrom().item(node);
        return conditions.flatMap(this::taint).call(tainted -> markPodsNotReady(current, tainted))
                .flatMap(tainted -> evict(current, tainted)).map(nextEviction -> {
            long untilLost = lost ? Long.MAX_VALUE : grace - silent + Duration.ofMillis(100).toNanos();
            long next = Math.min(untilLost, nextEviction < 0 ? Long.MAX_VALUE : nextEviction);
            return next == Long.MAX_VALUE ? Result.done() : Result.requeueAfter(Duration.ofNanos(next));
        });
    }

    /** What changes when the node's agent is alive: its lease's renewTime, its Ready condition's heartbeat. */
    private static String heartbeat(Node node, Lease lease) {
        String renewed = lease == null || lease.getSpec() == null ? "" : String.valueOf(lease.getSpec().getRenewTime());
        NodeCondition ready = NodeHealth.condition(node, "Ready");
        return renewed + "|" + (ready == null ? "" : ready.getLastHeartbeatTime());
    }

    private Uni<Node> markUnknown(Node node) {
        Node copy = copy(node);
        if (copy.getStatus() == null) {
            copy.setStatus(new io.fabric8.kubernetes.api.model.NodeStatus());
        }
        boolean wasReady = "True".equals(NodeHealth.readyStatus(node));
        if (!NodeHealth.markUnknown(copy, Timestamps.now())) {
            return Uni.createFrom().item(node);
        }
        LOG.infof("node %s stopped posting status; marking it Unknown", node.getMetadata().getName());
        return api.modify(Node.class, "", node.getMetadata().getName(), Part.STATUS, latest -> {
            if (latest.getStatus() == null) {
                latest.setStatus(new io.fabric8.kubernetes.api.model.NodeStatus());
            }
            NodeHealth.markUnknown(latest, Timestamps.now());
            return latest;
        }).call(updated -> wasReady
                ? events.normal(updated, "NodeNotReady", "NodeNotReady", "Node " + node.getMetadata().getName() + " status is now: NodeNotReady")
                : Uni.createFrom().voidItem());
    }

    /** Sets the lifecycle taints the node's Ready status calls for. */
    private Uni<Node> taint(Node node) {
        List<String> wanted = NodeHealth.wantedTaintKeys(NodeHealth.readyStatus(node));
        List<Taint> current = node.getSpec() == null ? null : node.getSpec().getTaints();
        if (NodeHealth.sameTaints(current, NodeHealth.withLifecycleTaints(current, wanted, Timestamps.now()))) {
            return Uni.createFrom().item(node);
        }
        return api.modify(Node.class, "", node.getMetadata().getName(), Part.MAIN, latest -> {
            if (latest.getSpec() == null) {
                latest.setSpec(new io.fabric8.kubernetes.api.model.NodeSpec());
            }
            List<String> keys = NodeHealth.wantedTaintKeys(NodeHealth.readyStatus(latest));
            latest.getSpec().setTaints(NodeHealth.withLifecycleTaints(latest.getSpec().getTaints(), keys, Timestamps.now()));
            return latest;
        });
    }

    /** Sets the Ready condition of the pods of a node that is not Ready to False, with a NodeNotReady event each. */
    private Uni<Void> markPodsNotReady(Run current, Node node) {
        if ("True".equals(NodeHealth.readyStatus(node))) {
            return Uni.createFrom().voidItem();
        }
        String nodeName = node.getMetadata().getName();
        List<Uni<Void>> updates = new ArrayList<>();
        for (Pod pod : current.pods.list(p -> nodeName.equals(p.getSpec().getNodeName()))) {
            if (!NodeHealth.markNotReady(copy(pod), Timestamps.now())) {
                continue;
            }
            updates.add(api.modify(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), Part.STATUS, latest -> {
                NodeHealth.markNotReady(latest, Timestamps.now());
                return latest;
            }).call(updated -> events.warning(updated, "NodeNotReady", "NodeNotReady", "Node is not ready")).replaceWithVoid()
                    .onFailure(ApiClient::isNotFound).recoverWithNull());
        }
        return updates.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(updates).andCollectFailures().replaceWithVoid();
    }

    /**
     * Deletes the node's pods whose time under its NoExecute taints is up; returns the nanoseconds
     * until the next pod's time is up, or -1 when none waits.
     */
    private Uni<Long> evict(Run current, Node node) {
        List<Taint> taints = node.getSpec() == null ? List.of() : node.getSpec().getTaints();
        if (taints == null || taints.stream().noneMatch(t -> "NoExecute".equals(t.getEffect()))) {
            return Uni.createFrom().item(-1L);
        }
        Instant taintedAt = taintedAt(taints);
        long next = -1;
        List<Uni<Void>> evictions = new ArrayList<>();
        String nodeName = node.getMetadata().getName();
        for (Pod pod : current.pods.list(p -> nodeName.equals(p.getSpec().getNodeName()))) {
            if (pod.getMetadata().getDeletionTimestamp() != null || evicted.contains(pod.getMetadata().getUid())) {
                continue;
            }
            long after = NodeHealth.evictAfterMillis(pod, taints);
            if (after < 0) {
                continue;
            }
            long remaining = Duration.between(Instant.now(), taintedAt.plusMillis(after)).toNanos();
            if (remaining <= 0) {
                evictions.add(evictPod(pod));
            } else {
                next = next < 0 ? remaining : Math.min(next, remaining);
            }
        }
        long nextEviction = next;
        return evictions.isEmpty() ? Uni.createFrom().item(nextEviction)
                : Uni.join().all(evictions).andCollectFailures().replaceWith(nextEviction);
    }

    private Uni<Void> evictPod(Pod pod) {
        String namespace = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        evicted.add(pod.getMetadata().getUid());
        LOG.infof("evicting %s/%s from %s: NoExecute taints", namespace, name, pod.getSpec().getNodeName());
        return events.normal(pod, "TaintManagerEviction", "Evicting", "Marking for deletion Pod " + namespace + "/" + name)
                .flatMap(ignored -> api.delete(Pod.class, namespace, name, DeleteOptions.DEFAULT)).replaceWithVoid()
                .onFailure().invoke(failure -> evicted.remove(pod.getMetadata().getUid()));
    }

    /** When the NoExecute taints were added: the latest timeAdded among them (now when not recorded). */
    private static Instant taintedAt(List<Taint> taints) {
        Instant latest = null;
        for (Taint taint : taints) {
            if ("NoExecute".equals(taint.getEffect()) && taint.getTimeAdded() != null) {
                Instant added = ZonedDateTime.parse(taint.getTimeAdded()).toInstant();
                latest = latest == null || added.isAfter(latest) ? added : latest;
            }
        }
        return latest == null ? Instant.now() : latest;
    }

    /** A deep copy of an informer's object, which must stay as the informer holds it. */
    @SuppressWarnings("unchecked")
    private static <T> T copy(T object) {
        return (T) io.quarkube.json.Json.MAPPER.convertValue(io.quarkube.json.Json.MAPPER.valueToTree(object), object.getClass());
    }
}
