package io.quarkube.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Tunables of the node agent; the command line names the cluster, the node and the runtime. */
@ConfigMapping(prefix = "quarkube.agent")
public interface AgentConfig {

    NodeSettings node();

    PodSettings pods();

    Simulated simulated();

    ServiceProxySettings proxy();

    ClusterDnsSettings dns();

    interface NodeSettings {
        /** How often the node's Lease in kube-node-lease is renewed (the kubelet: 10 s). */
        @WithDefault("10s")
        Duration leaseRenewInterval();

        /** leaseDurationSeconds written into the Lease (the kubelet: 40). */
        @WithDefault("40")
        int leaseDurationSeconds();

        /** How often status.conditions are written even when nothing changed (the kubelet: 5 min). */
        @WithDefault("5m")
        Duration statusReportInterval();

        /** How often the node's conditions are computed; a change is written at once (the kubelet: 10 s). */
        @WithDefault("10s")
        Duration statusUpdateInterval();

        /** Capacity overrides; unset values are read from the host. Quantities as in Kubernetes ("4", "8Gi"). */
        Optional<String> cpu();

        Optional<String> memory();

        Optional<String> ephemeralStorage();

        @WithDefault("110")
        int maxPods();

        /** The port of the agent's own HTTPS endpoint, published as daemonEndpoints.kubeletEndpoint. */
        @WithDefault("10250")
        int kubeletPort();

        /** The node's InternalIP; when unset, the address of the host's first non-loopback interface. */
        Optional<String> internalIp();
    }

    interface PodSettings {
        /**
         * Pods synchronized at the same time, over all nodes of this process (threads started on demand). A sync
         * mostly waits for the runtime, so this is set above the number of pods a node starts at once.
         */
        @WithDefault("32")
        int workers();

        /** How often every pod is synchronized again even without a change (the kubelet: 1 min). */
        @WithDefault("1m")
        Duration resyncInterval();

        /** While containers run, how often their state is read from the runtime. */
        @WithDefault("1s")
        Duration runningPollInterval();

        /** First restart back-off (the kubelet: 10 s); doubles up to {@link #maxBackoff()}. */
        @WithDefault("10s")
        Duration initialBackoff();

        @WithDefault("5m")
        Duration maxBackoff();

        /**
         * Parent cgroup of the pods (cgroupfs syntax, e.g. "/kubepods"); each pod's sandbox gets
         * ROOT/podUID. Unset leaves the choice to the runtime.
         */
        Optional<String> cgroupRoot();

        /**
         * The lowest oom_score_adj the agent asks for. The kubelet gives Guaranteed pods -997, which
         * a runtime without CAP_SYS_RESOURCE (containerd with restrict_oom_score_adj) cannot set.
         */
        @WithDefault("0")
        int minOomScoreAdj();

        /** Where containers' log files go: DIR/NAMESPACE_NAME_UID/CONTAINER/RESTARTS.log, the kubelet's layout. */
        @WithDefault("/var/log/pods")
        String logDirectory();

        /** Where the agent keeps each pod's volumes: DIR/pods/UID/volumes/... */
        @WithDefault("/var/lib/quarkube-agent")
        Path rootDirectory();
    }

    interface Simulated {
        /** How long a simulated container takes from create to running. */
        @WithDefault("0s")
        Duration startDelay();

        /** How long a simulated image pull takes. */
        @WithDefault("0s")
        Duration pullDelay();

        /** First address of the simulated pod network; sandboxes get consecutive addresses. */
        @WithDefault("10.244.0.0")
        String podNetwork();
    }

    /** The node's service proxy (iptables rules, as kube-proxy's iptables mode); runs with the cri runtime only. */
    interface ServiceProxySettings {
        @WithDefault("true")
        boolean enabled();

        /** Prefix of the top-level chains: PREFIX-SERVICES, PREFIX-NODEPORTS, ... */
        @WithDefault("QUARKUBE")
        String chainPrefix();

        /** Prefix of the per-service and per-endpoint chains: SHORT-SVC-HASH, SHORT-SEP-HASH, ... */
        @WithDefault("QK")
        String serviceChainPrefix();

        /** Rules are rewritten at most this often; changes meanwhile are folded into the next sync (kube-proxy's minSyncPeriod). */
        @WithDefault("1s")
        Duration minSyncInterval();

        /** How often every chain is written again, whatever changed. */
        @WithDefault("1h")
        Duration fullSyncInterval();

        /** The packet-mark bit asking for masquerade (kube-proxy: 14, 0x4000). */
        @WithDefault("14")
        int masqueradeBit();

        /**
         * The pod network: traffic to a ClusterIP from outside it is masqueraded (kube-proxy's --cluster-cidr). The
         * default is the CNI bridge's subnet of node-agent/testing/containerd-up.sh; "none" masquerades no such traffic.
         */
        @WithDefault("10.88.0.0/16")
        String clusterCidr();

        /** Remove the proxy's chains when the agent stops (off by default, as kube-proxy: traffic keeps flowing across restarts). */
        @WithDefault("false")
        boolean cleanupOnExit();
    }

    /** The node's cluster DNS server; pods reach it at clusterIp, which the proxy redirects to the listener. */
    interface ClusterDnsSettings {
        @WithDefault("true")
        boolean enabled();

        /** The cluster DNS address pods get as nameserver (kubeadm's kube-system/kube-dns address). */
        @WithDefault("10.96.0.10")
        String clusterIp();

        @WithDefault("cluster.local")
        String clusterDomain();

        /** Where the server listens; the proxy redirects clusterIp:53 (udp and tcp) here. */
        @WithDefault("0.0.0.0")
        String bindAddress();

        @WithDefault("10053")
        int port();

        /** The host's resolver configuration: upstream servers for other names, and what dnsPolicy Default gives pods. */
        @WithDefault("/etc/resolv.conf")
        Path resolvConf();

        /** How long an upstream resolver may take before the client gets SERVFAIL. */
        @WithDefault("2s")
        Duration upstreamTimeout();
    }
}
