package io.quarkube.agent;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkube.agent.config.AgentConfig;
import io.quarkube.agent.cri.v1.StatusRequest;
import io.quarkube.agent.cri.v1.VersionRequest;
import io.quarkube.agent.dns.PodDnsConfigs;
import io.quarkube.agent.node.NodeFacts;
import io.quarkube.agent.node.NodeHeartbeat;
import io.quarkube.agent.pods.ApiEnvSources;
import io.quarkube.agent.pods.EventRecorder;
import io.quarkube.agent.pods.PodSyncer;
import io.quarkube.agent.pods.PodUpdates;
import io.quarkube.agent.pods.PodWorkers;
import io.quarkube.agent.probes.ContainerProbes;
import io.quarkube.agent.probes.HandlerRunner;
import io.quarkube.agent.probes.LifecycleHooks;
import io.quarkube.agent.runtime.ContainerRuntime;
import io.quarkube.agent.runtime.SimulatedRuntime;
import io.quarkube.agent.volumes.HostPodVolumes;

/**
 * The kubelet of one node, or of many simulated nodes in one process: registers and heartbeats
 * each node, watches the pods bound to them through one shared informer and hands each pod to
 * its worker. Plain Java, so tests start and stop it like a process.
 */
public final class Agent implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Agent.class);

    private final KubernetesClient client;
    private final AgentConfig config;
    private final List<String> nodeNames;
    private final Function<String, ContainerRuntime> runtimes;
    private final Clock clock;
    private final Map<String, PodSyncer> syncers = new LinkedHashMap<>();
    private final Map<String, NodeHeartbeat> heartbeats = new LinkedHashMap<>();
    private AgentExecutors executors;
    private PodWorkers workers;
    private SharedIndexInformer<Pod> informer;
    private final List<java.util.concurrent.ScheduledFuture<?>> relists = new java.util.ArrayList<>();
    private NodeNetworking networking;

    public Agent(KubernetesClient client, AgentConfig config, List<String> nodeNames,
            Function<String, ContainerRuntime> runtimes, Clock clock) {
        this.client = client;
        this.config = config;
        this.nodeNames = List.copyOf(nodeNames);
        this.runtimes = runtimes;
        this.clock = clock;
    }

    public void start() {
        executors = new AgentExecutors(Math.max(2, Math.min(16, nodeNames.size() / 50 + 2)));
        HostPodVolumes volumes = new HostPodVolumes(config.pods().rootDirectory());
        ApiEnvSources sources = new ApiEnvSources(client);
        Duration interval = config.node().leaseRenewInterval();
        PodDnsConfigs podDns = NodeNetworking.podDnsConfigs(config);
        int index = 0;
        List<PodSyncer> relistedSyncers = new java.util.ArrayList<>();
        for (String nodeName : nodeNames) {
            ContainerRuntime runtime = runtimes.apply(nodeName);
            var version = runtime.version(VersionRequest.newBuilder().setVersion("v1").build()).await().atMost(Duration.ofSeconds(30));
            NodeFacts facts = NodeFacts.ofHost(config.node(), version.getRuntimeName() + "://" + version.getRuntimeVersion(),
                    config.pods().rootDirectory());
            NodeHeartbeat heartbeat = new NodeHeartbeat(nodeName, facts, client, config.node(), clock, () -> runtimeProblem(runtime));
            heartbeats.put(nodeName, heartbeat);
            // Spread the nodes over the renewal interval: N nodes make a steady N/interval requests per second.
            heartbeat.start(executors, interval.multipliedBy(index++).dividedBy(nodeNames.size()));
            Map<String, Quantity> allocatable = Map.of("cpu", facts.cpu(), "memory", facts.memory(), "ephemeral-storage", facts.ephemeralStorage());
            boolean simulated = runtime instanceof SimulatedRuntime;
            HandlerRunner handlers = new HandlerRunner(runtime);
            syncers.put(nodeName, new PodSyncer(nodeName, facts.internalIp(), allocatable, runtime, version.getRuntimeName(), client,
                    new EventRecorder(client, nodeName, executors.events(), clock), volumes, sources,
                    new ContainerProbes(handlers, simulated), new LifecycleHooks(handlers, simulated), config.pods(), clock,
                    config.pods().logDirectory(), !simulated, podDns));
            if (!simulated) {
                // Simulated pods are polled one by one (cheap, in memory); real ones are watched by relisting.
                relistedSyncers.add(syncers.get(nodeName));
            }
        }
        workers = new PodWorkers(config.pods().workers(), syncers::get);
        var pods = client.pods().inAnyNamespace();
        var selected = nodeNames.size() == 1 ? pods.withField("spec.nodeName", nodeNames.get(0)) : pods.withoutField("spec.nodeName", "");
        informer = selected.inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                dispatch(pod);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod pod) {
                // The echo of the agent's own status write changes nothing a sync acts on; another writer's status
                // is written over by the next sync, as the kubelet's status manager does.
                PodSyncer syncer = pod.getSpec() == null ? null : syncers.get(pod.getSpec().getNodeName());
                if (syncer != null && !PodUpdates.needsSync(oldPod, pod) && syncer.isOwnStatus(pod)) {
                    return;
                }
                dispatch(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                if (syncers.containsKey(pod.getSpec().getNodeName())) {
                    workers.remove(pod);
                }
            }
        }, config.pods().resyncInterval().toMillis());
        removeOrphans();
        if (nodeNames.size() == 1 && !relistedSyncers.isEmpty()) {
            // Containers with real networking: the node's service proxy and cluster DNS.
            networking = NodeNetworking.start(client, config, nodeNames.get(0));
        }
        for (PodSyncer syncer : relistedSyncers) {
            Map<String, PodSyncer.Relisted> last = new HashMap<>();
            relists.add(executors.every(config.pods().runningPollInterval(), config.pods().runningPollInterval(), () -> relist(syncer, last)));
        }
        LOG.infof("agent running %d node(s): %s", nodeNames.size(),
                nodeNames.size() <= 3 ? nodeNames : nodeNames.get(0) + " .. " + nodeNames.get(nodeNames.size() - 1));
    }

    /** The kubelet's runtime health check: Status must answer with RuntimeReady and NetworkReady true. */
    static Optional<String> runtimeProblem(ContainerRuntime runtime) {
        try {
            var status = runtime.status(StatusRequest.getDefaultInstance()).await().atMost(Duration.ofSeconds(10)).getStatus();
            return status.getConditionsList().stream()
                    .filter(c -> (c.getType().equals("RuntimeReady") || c.getType().equals("NetworkReady")) && !c.getStatus())
                    .map(c -> c.getType() + "=false reason:" + c.getReason() + " message:" + c.getMessage())
                    .findFirst();
        } catch (RuntimeException e) {
            return Optional.of(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /**
     * One PLEG relist of a node: pods whose sandboxes or containers changed since the last one are synced now,
     * unless their worker has seen these states already (the changes it made itself, read back in its sync).
     */
    private void relist(PodSyncer syncer, Map<String, PodSyncer.Relisted> last) {
        Map<String, PodSyncer.Relisted> now;
        try {
            now = syncer.relist();
        } catch (RuntimeException e) {
            LOG.debugf("relist of node %s failed: %s", syncer.nodeName(), e.getMessage());
            return; // the runtime is away; the node's heartbeat reports it
        }
        now.forEach((uid, pod) -> {
            if (!pod.equals(last.get(uid)) && !syncer.hasObserved(uid, pod)) {
                Pod current = informer.getStore().getByKey(pod.namespace() + "/" + pod.name());
                if (current != null && uid.equals(current.getMetadata().getUid())) {
                    dispatch(current);
                }
            }
        });
        last.clear();
        last.putAll(now);
    }

    private void dispatch(Pod pod) {
        if (pod.getSpec() != null && syncers.containsKey(pod.getSpec().getNodeName())) {
            workers.update(pod);
        }
    }

    /** Sandboxes of pods that were deleted while the agent was away: the kubelet's housekeeping removes them. */
    private void removeOrphans() {
        Set<String> known = new HashSet<>();
        informer.getStore().list().forEach(pod -> known.add(pod.getMetadata().getUid()));
        for (PodSyncer syncer : syncers.values()) {
            for (String uid : syncer.podsInRuntime()) {
                if (!known.contains(uid)) {
                    LOG.infof("removing sandboxes of pod %s, which no longer exists", uid);
                    executors.submit(() -> syncer.forget(uid, "", ""));
                }
            }
        }
    }

    public List<String> nodeNames() {
        return nodeNames;
    }

    @Override
    public void close() {
        relists.forEach(relist -> relist.cancel(false));
        if (networking != null) {
            networking.close();
        }
        if (informer != null) {
            informer.close();
        }
        heartbeats.values().forEach(NodeHeartbeat::close);
        if (workers != null) {
            workers.close();
        }
        if (executors != null) {
            executors.close();
        }
    }
}
