package io.quarkube.agent.node;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkube.agent.AgentExecutors;
import io.quarkube.agent.config.AgentConfig;

/**
 * Keeps one node alive in the API: registers the Node, renews its Lease in kube-node-lease and
 * reports its status conditions, all on the agent's shared executors.
 */
public final class NodeHeartbeat implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(NodeHeartbeat.class);
    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

    private final String nodeName;
    private final NodeFacts facts;
    private final KubernetesClient client;
    private final AgentConfig.NodeSettings config;
    private final Clock clock;
    private final List<ScheduledFuture<?>> schedules = new ArrayList<>();
    private volatile String nodeUid;
    private volatile Instant registeredAt;
    private volatile Instant readySince;
    private volatile Optional<String> runtimeProblem = Optional.empty();
    private final RuntimeHealth runtimeHealth;
    private volatile boolean closed;

    /** Asks the container runtime whether it is ready; empty when it is, else what is wrong. */
    @FunctionalInterface
    public interface RuntimeHealth {
        Optional<String> problem();
    }

    public NodeHeartbeat(String nodeName, NodeFacts facts, KubernetesClient client, AgentConfig.NodeSettings config, Clock clock,
            RuntimeHealth runtimeHealth) {
        this.runtimeHealth = runtimeHealth;
        this.nodeName = nodeName;
        this.facts = facts;
        this.client = client;
        this.config = config;
        this.clock = clock;
    }

    public String nodeName() {
        return nodeName;
    }

    /**
     * Registers the node (blocking; retried by the caller's schedule when the API is unreachable)
     * and then renews the lease and reports status on the shared timer, starting at offset within
     * the period so that many nodes spread their requests.
     */
    public void start(AgentExecutors executors, Duration offset) {
        schedules.add(executors.schedule(Duration.ZERO, () -> registerUntilDone(executors, offset)));
    }

    private void registerUntilDone(AgentExecutors executors, Duration offset) {
        try {
            register();
        } catch (KubernetesClientException e) {
            if (closed) {
                return;
            }
            LOG.warnf("cannot register node %s yet (%s); retrying", nodeName, e.getMessage());
            schedules.add(executors.schedule(Duration.ofSeconds(2), () -> registerUntilDone(executors, offset)));
            return;
        }
        renewLease();
        schedules.add(executors.every(offset, config.leaseRenewInterval(), this::renewLease));
        schedules.add(executors.every(config.statusReportInterval().plus(offset), config.statusReportInterval(), this::reportStatus));
        schedules.add(executors.every(config.statusUpdateInterval().plus(offset), config.statusUpdateInterval(), this::checkRuntime));
    }

    /** Writes status at once when the runtime's health changed (Ready flips), not only at the next report. */
    public void checkRuntime() {
        Optional<String> problem = runtimeHealth.problem();
        if (problem.equals(runtimeProblem)) {
            return;
        }
        LOG.infof("node %s: container runtime %s", nodeName, problem.map(p -> "is down: " + p).orElse("is ready again"));
        runtimeProblem = problem;
        readySince = clock.instant();
        reportStatus();
    }

    /** Creates the Node, or takes over an existing one of that name and brings its status up to date. */
    public void register() {
        Instant now = clock.instant();
        registeredAt = now;
        readySince = now;
        Node wanted = NodeObjects.node(nodeName, facts, now);
        Node registered;
        boolean existed = false;
        try {
            registered = client.nodes().resource(wanted).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            registered = client.nodes().withName(nodeName).get();
            if (registered == null) {
                throw e;
            }
            existed = true;
        }
        nodeUid = registered.getMetadata().getUid();
        // A node created with its status keeps it. A re-registered one gets it now, as a starting kubelet
        // posts status at once: the status left behind may be the node controller's Unknown.
        if (existed || registered.getStatus() == null || registered.getStatus().getConditions() == null
                || registered.getStatus().getConditions().isEmpty() || !wanted.getStatus().getNodeInfo().equals(registered.getStatus().getNodeInfo())) {
            writeStatus(now);
        }
        LOG.debugf("registered node %s", nodeName);
    }

    /** Writes status with fresh heartbeat times; transition times stay at the moment the node became Ready. */
    public void reportStatus() {
        try {
            writeStatus(clock.instant());
        } catch (KubernetesClientException e) {
            if (closed) {
                return;
            }
            LOG.warnf("cannot report status of node %s: %s", nodeName, e.getMessage());
        }
    }

    private void writeStatus(Instant now) {
        Node patch = new Node();
        patch.setStatus(NodeObjects.status(nodeName, facts, NodeObjects.conditions(now, registeredAt, readySince, runtimeProblem)));
        client.nodes().withName(nodeName).subresource("status").patch(MERGE, client.getKubernetesSerialization().asJson(patch));
    }

    /** Renews the node's Lease, creating it when missing (first start, or deleted with its Node). */
    public void renewLease() {
        Lease lease = NodeObjects.lease(nodeName, nodeUid, config.leaseDurationSeconds(), clock.instant());
        try {
            Lease patch = new Lease();
            patch.setSpec(lease.getSpec());
            client.leases().inNamespace(NodeObjects.LEASE_NAMESPACE).withName(nodeName)
                    .patch(MERGE, client.getKubernetesSerialization().asJson(patch));
        } catch (KubernetesClientException e) {
            if (closed) {
                return;
            }
            if (e.getCode() != 404) {
                LOG.warnf("cannot renew lease of node %s: %s", nodeName, e.getMessage());
                return;
            }
            try {
                client.leases().inNamespace(NodeObjects.LEASE_NAMESPACE).resource(lease).create();
            } catch (KubernetesClientException createFailed) {
                LOG.warnf("cannot create lease of node %s: %s", nodeName, createFailed.getMessage());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        schedules.forEach(schedule -> schedule.cancel(false));
    }
}
