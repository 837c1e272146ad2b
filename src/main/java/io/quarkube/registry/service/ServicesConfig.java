package io.quarkube.registry.service;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Service networking: the ranges Services draw addresses and node ports from, and how their endpoints are published. */
@ConfigMapping(prefix = "quarkube.services")
public interface ServicesConfig {

    /** kube-apiserver's --service-cluster-ip-range; its first address is the kubernetes Service's. */
    @WithDefault("10.96.0.0/12")
    String clusterIpRange();

    /**
     * The address of the {@code kube-system/kube-dns} Service, which the control plane creates at startup (without a
     * selector: every node agent answers DNS there). Unset: the tenth address of the cluster IP range, as kubeadm
     * picks it (10.96.0.10 for the default range, the node agents' default {@code quarkube.agent.dns.cluster-ip}).
     */
    Optional<String> clusterDnsIp();

    /** kube-apiserver's --service-node-port-range, "first-last" inclusive. */
    @WithDefault("30000-32767")
    String nodePortRange();

    /**
     * How often the allocation records are checked against the Services (kube-apiserver's repair
     * loops): missing records are written, records no Service holds are removed on the second check.
     */
    @WithDefault("3m")
    Duration repairInterval();

    Endpoints endpoints();

    interface Endpoints {

        /**
         * kube-controller-manager's --endpoint-updates-batch-period: pod changes wait this long before
         * their Service's Endpoints and EndpointSlices are rewritten, so a rollout's changes share writes.
         */
        @WithDefault("500ms")
        Duration updatesBatchPeriod();

        /** kube-controller-manager's --max-endpoints-per-slice. */
        @WithDefault("100")
        int maxPerSlice();

        /** How long an API server's endpoint lease lives unless renewed (kube's master lease TTL). */
        @WithDefault("15s")
        Duration apiServerLeaseDuration();
    }
}
