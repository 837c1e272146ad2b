package io.quarkube.agent.dns;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import io.quarkube.agent.cri.v1.DNSConfig;

/**
 * A pod's resolv.conf as the CRI's DNSConfig, as the kubelet's dns configurer builds it
 * (pkg/kubelet/network/dns/dns.go): ClusterFirst gives the cluster DNS address, the search path
 * NS.svc.DOMAIN svc.DOMAIN DOMAIN followed by the host's, and ndots:5; Default gives the host's
 * resolv.conf; None only the pod's dnsConfig, which the other policies merge in. A host-network pod
 * with ClusterFirst gets Default, unless it asks for ClusterFirstWithHostNet; without a cluster DNS
 * address ClusterFirst is Default too. Pure.
 */
public final class PodDnsConfigs {

    /** The kubelet's limits (validation.MaxDNSNameservers, MaxDNSSearchPaths, MaxDNSSearchListChars). */
    static final int MAX_NAMESERVERS = 3;
    static final int MAX_SEARCHES = 32;
    static final int MAX_SEARCH_CHARS = 2048;

    private final Optional<String> clusterDnsIp;
    private final String clusterDomain;
    private final ResolvConf host;

    public PodDnsConfigs(Optional<String> clusterDnsIp, String clusterDomain, ResolvConf host) {
        this.clusterDnsIp = clusterDnsIp;
        this.clusterDomain = clusterDomain;
        this.host = host;
    }

    public DNSConfig forPod(Pod pod) {
        String policy = pod.getSpec().getDnsPolicy() == null ? "ClusterFirst" : pod.getSpec().getDnsPolicy();
        boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
        String effective = switch (policy) {
            case "ClusterFirstWithHostNet" -> "ClusterFirst";
            case "ClusterFirst" -> hostNetwork ? "Default" : "ClusterFirst";
            default -> policy;
        };
        if (effective.equals("ClusterFirst") && clusterDnsIp.isEmpty()) {
            effective = "Default";
        }
        List<String> servers = new ArrayList<>();
        List<String> searches = new ArrayList<>();
        List<String> options = new ArrayList<>();
        switch (effective) {
            case "ClusterFirst" -> {
                servers.add(clusterDnsIp.orElseThrow());
                String namespace = pod.getMetadata().getNamespace();
                searches.addAll(List.of(namespace + ".svc." + clusterDomain, "svc." + clusterDomain, clusterDomain));
                searches.addAll(host.searches());
                options.add("ndots:5");
            }
            case "Default" -> {
                servers.addAll(host.nameservers());
                searches.addAll(host.searches());
                options.addAll(host.options());
            }
            default -> {
                // None: only dnsConfig
            }
        }
        PodDNSConfig podConfig = pod.getSpec().getDnsConfig();
        if (podConfig != null) {
            if (podConfig.getNameservers() != null) {
                servers.addAll(podConfig.getNameservers());
            }
            if (podConfig.getSearches() != null) {
                searches.addAll(podConfig.getSearches());
            }
            options = mergeOptions(options, podConfig.getOptions());
        }
        List<String> uniqueServers = new ArrayList<>(new LinkedHashSet<>(servers));
        if (uniqueServers.size() > MAX_NAMESERVERS) {
            uniqueServers = uniqueServers.subList(0, MAX_NAMESERVERS);
        }
        return DNSConfig.newBuilder()
                .addAllServers(uniqueServers)
                .addAllSearches(limitSearches(new ArrayList<>(new LinkedHashSet<>(searches))))
                .addAllOptions(options)
                .build();
    }

    /** Options by name, the pod's last: "ndots:2" from dnsConfig replaces the policy's "ndots:5". */
    static List<String> mergeOptions(List<String> base, List<PodDNSConfigOption> overrides) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (String option : base) {
            int colon = option.indexOf(':');
            byName.put(colon < 0 ? option : option.substring(0, colon), option);
        }
        if (overrides != null) {
            for (PodDNSConfigOption option : overrides) {
                byName.put(option.getName(), option.getValue() == null ? option.getName() : option.getName() + ":" + option.getValue());
            }
        }
        return new ArrayList<>(byName.values());
    }

    private static List<String> limitSearches(List<String> searches) {
        List<String> kept = new ArrayList<>();
        int chars = 0;
        for (String search : searches) {
            if (kept.size() == MAX_SEARCHES || chars + search.length() + (kept.isEmpty() ? 0 : 1) > MAX_SEARCH_CHARS) {
                break;
            }
            chars += search.length() + (kept.isEmpty() ? 0 : 1);
            kept.add(search);
        }
        return kept;
    }
}
