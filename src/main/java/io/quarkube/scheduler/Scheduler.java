package io.quarkube.scheduler;

import java.util.Objects;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.quarkube.client.ApiClient;
import io.quarkube.client.EventRecorder;
import io.quarkube.client.Informer;
import io.quarkube.leaderelection.LeaderElectionConfig;
import io.quarkube.leaderelection.LeaderElector;
import io.quarkube.registry.GenericStore.Part;
import io.quarkube.scheduler.framework.CycleState;
import io.quarkube.scheduler.framework.Framework;
import io.quarkube.scheduler.framework.Framework.Decision;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * The default-scheduler: on the replica holding the kube-scheduler Lease in kube-system, assigns
 * every pod without spec.nodeName whose schedulerName is default-scheduler (or empty). One thread
 * runs the scheduling cycles (pure computation over a cache snapshot); the chosen node is assumed
 * in the cache at once and the binding written asynchronously through the pods/binding
 * subresource. A pod that fits nowhere gets PodScheduled=False (Unschedulable) and a
 * FailedScheduling event and waits in the queue for the cluster to change; a bound pod gets a
 * Scheduled event.
 */
@ApplicationScoped
public class Scheduler {

    public static final String NAME = "default-scheduler";
    static final String LEASE_NAMESPACE = "kube-system";
    static final String LEASE_NAME = "kube-scheduler";
    private static final Logger LOG = Logger.getLogger(Scheduler.class);

    @Inject
    ApiClient api;
    @Inject
    Vertx vertx;
    @Inject
    SchedulerConfig config;
    @Inject
    LeaderElectionConfig leaderElection;

    private LeaderElector elector;
    private EventRecorder events;
    private Run run;

    /** Runs after the watch cache is loaded (ControlPlaneStartup) so informers can sync. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 1100) StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        String identity = LeaderElector.identity(leaderElection);
        events = new EventRecorder(api, NAME, identity);
        elector = new LeaderElector(LEASE_NAMESPACE, LEASE_NAME, identity, api, vertx, leaderElection, new LeaderElector.Callbacks() {
            @Override
            public void startedLeading() {
                startScheduling();
            }

            @Override
            public void stoppedLeading() {
                stopScheduling();
            }
        });
        elector.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (elector != null) {
            elector.stop().await().atMost(java.time.Duration.ofSeconds(5));
            stopScheduling();
        }
    }

    /** True while this replica schedules. */
    public synchronized boolean scheduling() {
        return run != null;
    }

    private synchronized void startScheduling() {
        if (run == null) {
            run = new Run();
            run.start();
        }
    }

    private synchronized void stopScheduling() {
        if (run != null) {
            run.stop();
            run = null;
        }
    }


    /** One term of leadership: informers, cache, queue and the scheduling thread. */
    private final class Run {

        private final SchedulerCache cache = new SchedulerCache();
        private final SchedulingQueue queue = new SchedulingQueue();
        private final Informer<Pod> pods = api.informer(Pod.class, "");
        private final Informer<Node> nodes = api.informer(Node.class, "");
        private final Informer<Service> services = api.informer(Service.class, "");
        private final Informer<ReplicaSet> replicaSets = api.informer(ReplicaSet.class, "");
        private final Framework framework = DefaultProfile.create(new SpreadSelectors(services, replicaSets),
                config.percentageOfNodesToScore());
        private Thread thread;
        private volatile boolean stopped;

        void start() {
            nodes.addHandler(new Informer.Handler<>() {
                @Override
                public void onAdd(Node node) {
                    cache.putNode(node);
                    queue.clusterChanged();
                }

                @Override
                public void onUpdate(Node before, Node after) {
                    cache.putNode(after);
                    queue.clusterChanged();
                }

                @Override
                public void onDelete(Node node) {
                    cache.removeNode(node.getMetadata().getName());
                }
            });
            pods.addHandler(new Informer.Handler<>() {
                @Override
                public void onAdd(Pod pod) {
                    podChanged(null, pod);
                }

                @Override
                public void onUpdate(Pod before, Pod after) {
                    podChanged(before, after);
                }

                @Override
                public void onDelete(Pod pod) {
                    cache.removePod(pod);
                    queue.delete(SchedulerCache.key(pod));
                    if (PodScheduling.assigned(pod)) {
                        queue.clusterChanged();
                    }
                }
            });
            Uni.join().all(services.start(), replicaSets.start(), nodes.start()).andFailFast()
                    .flatMap(synced -> pods.start())
                    .subscribe().with(synced -> {
                        if (stopped) {
                            return;
                        }
                        thread = new Thread(this::loop, "scheduler");
                        thread.setDaemon(true);
                        thread.start();
                        LOG.info("scheduler started");
                    }, failure -> LOG.errorf(failure, "scheduler could not start its informers"));
        }

        void stop() {
            stopped = true;
            queue.close();
            pods.stop();
            nodes.stop();
            services.stop();
            replicaSets.stop();
            cache.clear();
            LOG.info("scheduler stopped");
        }

        private void podChanged(Pod before, Pod pod) {
            if (PodScheduling.assigned(pod)) {
                cache.putPod(pod);
                queue.delete(SchedulerCache.key(pod));
                if (before == null || !PodScheduling.assigned(before) || SchedulerCache.terminal(pod)) {
                    queue.clusterChanged();
                }
            } else if (PodScheduling.responsible(pod)) {
                // a status written by the scheduler itself is no reason to try again; a changed spec or labels is
                if (before == null || !Objects.equals(before.getSpec(), pod.getSpec())
                        || !Objects.equals(before.getMetadata().getLabels(), pod.getMetadata().getLabels())) {
                    queue.add(SchedulerCache.key(pod));
                }
            } else {
                queue.delete(SchedulerCache.key(pod));
            }
        }

        private void loop() {
            while (!stopped) {
                String key;
                try {
                    key = queue.pop();
                } catch (InterruptedException e) {
                    return;
                }
                if (key == null) {
                    return;
                }
                try {
                    scheduleOne(key);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "scheduling %s failed", key);
                    queue.backOff(key);
                }
            }
        }

        private void scheduleOne(String key) {
            int slash = key.indexOf('/');
            Pod pod = pods.get(key.substring(0, slash), key.substring(slash + 1));
            if (pod == null || PodScheduling.assigned(pod) || !PodScheduling.responsible(pod) || cache.isPlaced(key)) {
                queue.done(key);
                return;
            }
            CycleState state = new CycleState();
            Decision decision = framework.schedule(state, pod, cache.snapshot());
            if (!decision.scheduled()) {
                String message = decision.fitError().message();
                queue.unschedulable(key);
                reportUnschedulable(pod, message);
                return;
            }
            String node = decision.nodeName();
            var reserved = framework.reserve(state, pod, node);
            if (!reserved.isSuccess()) {
                queue.backOff(key);
                return;
            }
            cache.assume(pod, node);
            api.bind(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), node).subscribe().with(bound -> {
                queue.done(key);
                events.normal(pod, "Scheduled", "Binding", "Successfully assigned " + key + " to " + node)
                        .subscribe().with(ignored -> {
                        });
            }, failure -> {
                cache.forget(pod);
                framework.unreserve(state, pod, node);
                if (ApiClient.isNotFound(failure)) {
                    queue.done(key);
                } else {
                    LOG.debugf("binding %s to %s failed: %s", key, node, failure.getMessage());
                    queue.backOff(key);
                }
            });
        }

        /** PodScheduled=False with the message (written only when it changes), and a FailedScheduling event. */
        private void reportUnschedulable(Pod pod, String message) {
            LOG.debugf("%s/%s is unschedulable: %s", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), message);
            Uni<Void> condition = PodScheduling.sameCondition(pod, message) ? Uni.createFrom().voidItem()
                    : api.modify(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), Part.STATUS,
                            current -> PodScheduling.withUnschedulable(current, message)).replaceWithVoid();
            condition.onFailure().recoverWithNull()
                    .call(ignored -> events.warning(pod, "FailedScheduling", "Scheduling", message))
                    .subscribe().with(ignored -> {
                    });
        }
    }
}
