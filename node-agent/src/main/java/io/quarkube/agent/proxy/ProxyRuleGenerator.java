package io.quarkube.agent.proxy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

/**
 * Services and EndpointSlices of the cluster, seen from one node → the iptables rules of its service proxy,
 * as kube-proxy's iptables mode writes them (pkg/proxy/iptables/proxier.go): ClusterIP and NodePort DNAT
 * to endpoints spread with {@code -m statistic}, {@code sessionAffinity: ClientIP} with {@code -m recent},
 * internal/external traffic policy Local, masquerade marks for hairpin, off-cluster and node-port traffic,
 * REJECT (no endpoints) and DROP (no local endpoints) in the filter table. Also the redirect of the cluster
 * DNS address to the node's DNS listener. Pure: same input, same text.
 */
public final class ProxyRuleGenerator {

    public static final String NAT = "nat";
    public static final String FILTER = "filter";

    /**
     * @param masqueradeBit the bit of the packet mark that asks for SNAT (kube-proxy: 14, mark 0x4000)
     * @param clusterCidr the pod network; traffic to a ClusterIP from outside it is masqueraded (as kube-proxy's --cluster-cidr)
     * @param dnsRedirect the cluster DNS address redirected to the node's DNS listener, when the node runs one
     */
    public record Settings(int masqueradeBit, Optional<String> clusterCidr, Optional<DnsRedirect> dnsRedirect) {

        public String masqueradeMark() {
            return "0x" + Integer.toHexString(1 << masqueradeBit);
        }
    }

    /** udp and tcp IP:53 → the local listener on port. */
    public record DnsRedirect(String clusterIp, int port) {
    }

    /**
     * Above this many endpoints, the rules of single endpoints go without comments, as kube-proxy's "large cluster
     * mode" does: they are most of the rules, and iptables-restore's time grows with their size.
     */
    static final int LARGE_CLUSTER_ENDPOINTS = 1000;

    private final ProxyChains chains;
    private final Settings settings;

    public ProxyRuleGenerator(ProxyChains chains, Settings settings) {
        this.chains = chains;
        this.settings = settings;
    }

    public ProxyChains chains() {
        return chains;
    }

    public RuleSet generate(Collection<Service> services, Collection<EndpointSlice> slices, String nodeName) {
        ServiceEndpoints endpoints = ServiceEndpoints.index(slices);
        Map<String, List<String>> nat = new LinkedHashMap<>();
        Map<String, List<String>> filter = new LinkedHashMap<>();
        String mark = settings.masqueradeMark();

        List<String> natServices = new ArrayList<>();
        List<String> nodePorts = new ArrayList<>();
        List<String> filterServices = new ArrayList<>();
        List<String> filterExternal = new ArrayList<>();
        settings.dnsRedirect().ifPresent(dns -> {
            for (String protocol : List.of("udp", "tcp")) {
                natServices.add("-d " + dns.clusterIp() + "/32 -p " + protocol + " -m comment --comment \"cluster DNS\" -m " + protocol
                        + " --dport 53 -j REDIRECT --to-ports " + dns.port());
            }
        });
        settings.dnsRedirect().ifPresent(dns -> settings.clusterCidr().ifPresent(cidr -> {
            // The listener is bound to every address: only pods and the node itself may use it, not the world.
            for (String protocol : List.of("udp", "tcp")) {
                filterExternal.add("! -s " + cidr + " -p " + protocol + " -m comment --comment \"cluster DNS listener, pods and the node only\""
                        + " -m addrtype ! --src-type LOCAL -m " + protocol + " --dport " + dns.port() + " -j DROP");
            }
        }));
        nat.put(chains.services(), natServices);
        nat.put(chains.nodePorts(), nodePorts);
        nat.put(chains.markMasquerade(), List.of("-j MARK --or-mark " + mark));
        List<String> postrouting = new ArrayList<>();
        settings.dnsRedirect().ifPresent(dns -> {
            // The host's own queries are redirected to 127.0.0.1 but keep the host's source address, to which a
            // wildcard-bound UDP socket would answer from that address, not 127.0.0.1: the reply would miss the
            // connection's NAT. With 127.0.0.1 as source too, the answer comes back through it.
            for (String protocol : List.of("udp", "tcp")) {
                postrouting.add("-o lo -d 127.0.0.1/32 ! -s 127.0.0.0/8 -p " + protocol + " -m comment --comment \"cluster DNS from the host\" -m "
                        + protocol + " --dport " + dns.port() + " -j SNAT --to-source 127.0.0.1");
            }
        });
        postrouting.add("-m mark ! --mark " + mark + "/" + mark + " -j RETURN");
        // Clear the mark, so a packet that passes these rules again (re-routed) is not masqueraded twice.
        postrouting.add("-j MARK --xor-mark " + mark);
        postrouting.add("-m comment --comment \"quarkube service traffic requiring SNAT\" -j MASQUERADE --random-fully");
        nat.put(chains.postrouting(), postrouting);
        filter.put(chains.services(), filterServices);
        filter.put(chains.externalServices(), filterExternal);
        filter.put(chains.forward(), List.of(
                "-m comment --comment \"quarkube forwarding rules\" -m mark --mark " + mark + "/" + mark + " -j ACCEPT",
                "-m comment --comment \"quarkube forwarding conntrack rule\" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"));

        List<Service> sorted = services.stream()
                .sorted(Comparator.comparing((Service s) -> s.getMetadata().getNamespace()).thenComparing(s -> s.getMetadata().getName()))
                .toList();
        boolean large = endpoints.count() > LARGE_CLUSTER_ENDPOINTS;
        for (Service service : sorted) {
            if (service.getSpec() == null || !hasClusterIp(service)) {
                continue; // headless and ExternalName services are DNS only
            }
            for (ServicePort port : service.getSpec().getPorts()) {
                if (redirectedToClusterDns(service, port)) {
                    // kube-system/kube-dns has no endpoints (this node answers DNS there): no REJECT, the redirect wins.
                    continue;
                }
                servicePort(service, port, endpoints, nodeName, large, nat, filterServices, filterExternal, natServices, nodePorts);
            }
        }
        natServices.add("-m comment --comment \"quarkube service nodeports; NOTE: this must be the last rule in this chain\" "
                + "-m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j " + chains.nodePorts());
        Map<String, Map<String, List<String>>> tables = new LinkedHashMap<>();
        tables.put(FILTER, filter);
        tables.put(NAT, nat);
        return new RuleSet(tables, List.of(chains.services(), chains.nodePorts(), chains.externalServices()));
    }

    /** A port of the Service at the cluster DNS address that the DNS redirect takes: udp or tcp 53. */
    private boolean redirectedToClusterDns(Service service, ServicePort port) {
        String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
        return settings.dnsRedirect().isPresent() && settings.dnsRedirect().get().clusterIp().equals(service.getSpec().getClusterIP())
                && port.getPort() != null && port.getPort() == 53 && (protocol.equals("TCP") || protocol.equals("UDP"));
    }

    static boolean hasClusterIp(Service service) {
        String ip = service.getSpec().getClusterIP();
        return ip != null && !ip.isEmpty() && !"None".equals(ip) && !"ExternalName".equals(service.getSpec().getType());
    }

    private void servicePort(Service service, ServicePort port, ServiceEndpoints index, String nodeName, boolean large,
            Map<String, List<String>> nat, List<String> filterServices, List<String> filterExternal, List<String> natServices, List<String> nodePorts) {
        String name = servicePortName(service, port);
        String protocol = (port.getProtocol() == null ? "TCP" : port.getProtocol()).toLowerCase(Locale.ROOT);
        String clusterIp = service.getSpec().getClusterIP();
        boolean internalLocal = "Local".equals(service.getSpec().getInternalTrafficPolicy());
        boolean externalLocal = "Local".equals(service.getSpec().getExternalTrafficPolicy());
        Integer nodePort = port.getNodePort() != null && port.getNodePort() > 0
                && ("NodePort".equals(service.getSpec().getType()) || "LoadBalancer".equals(service.getSpec().getType())) ? port.getNodePort() : null;
        boolean external = nodePort != null;

        List<ServiceEndpoints.Endpoint> all = index.endpoints(service.getMetadata().getNamespace(), service.getMetadata().getName(), port);
        // kube-proxy's CategorizeEndpoints: ready endpoints, else those still serving while terminating.
        List<ServiceEndpoints.Endpoint> cluster = usable(all, null);
        List<ServiceEndpoints.Endpoint> local = usable(all, nodeName);
        boolean usesCluster = !internalLocal || (external && !externalLocal);
        boolean usesLocal = internalLocal || (external && externalLocal);
        if (!usesCluster) {
            cluster = List.of();
        }
        if (!usesLocal) {
            local = List.of();
        }
        boolean hasEndpoints = !cluster.isEmpty() || !local.isEmpty();
        boolean hasInternal = internalLocal ? !local.isEmpty() : !cluster.isEmpty();
        boolean hasExternal = externalLocal ? !local.isEmpty() : !cluster.isEmpty();

        String clusterChain = chains.serviceChain(name, protocol);
        String localChain = chains.serviceLocalChain(name, protocol);
        String externalChain = chains.externalChain(name, protocol);
        boolean usesClusterChain = !cluster.isEmpty();
        boolean usesLocalChain = !local.isEmpty();
        String internalChain = internalLocal ? localChain : clusterChain;
        String destination = "-d " + clusterIp + "/32 -p " + protocol;
        String match = " -m " + protocol + " --dport ";

        if (hasInternal) {
            natServices.add(destination + " -m comment --comment \"" + name + " cluster IP\"" + match + port.getPort() + " -j " + internalChain);
        } else {
            filterServices.add(destination + " -m comment --comment \"" + name + (hasEndpoints ? " has no local endpoints\"" : " has no endpoints\"")
                    + match + port.getPort() + " -j " + (hasEndpoints ? "DROP" : "REJECT"));
        }
        if (external) {
            if (hasExternal) {
                nodePorts.add("-p " + protocol + " -m comment --comment \"" + name + "\"" + match + nodePort + " -j " + externalChain);
                List<String> rules = new ArrayList<>();
                if (!externalLocal) {
                    rules.add("-m comment --comment \"masquerade traffic for " + name + " external destinations\" -j " + chains.markMasquerade());
                } else if (usesClusterChain) {
                    // Pods and the node itself reach a Local node port as they reach the cluster IP, over every endpoint.
                    settings.clusterCidr().ifPresent(cidr -> rules.add("-s " + cidr + " -m comment --comment \"pod traffic for " + name
                            + " external destinations\" -j " + clusterChain));
                    rules.add("-m comment --comment \"masquerade LOCAL traffic for " + name + " external destinations\" -m addrtype --src-type LOCAL -j "
                            + chains.markMasquerade());
                    rules.add("-m comment --comment \"route LOCAL traffic for " + name + " external destinations\" -m addrtype --src-type LOCAL -j "
                            + clusterChain);
                }
                rules.add("-j " + (externalLocal ? localChain : clusterChain));
                nat.put(externalChain, rules);
            } else {
                filterExternal.add("-m comment --comment \"" + name + (hasEndpoints ? " has no local endpoints\"" : " has no endpoints\"")
                        + " -m addrtype --dst-type LOCAL -p " + protocol + match + nodePort + " -j " + (hasEndpoints ? "DROP" : "REJECT"));
            }
        }
        if (usesClusterChain) {
            nat.put(clusterChain, policyChain(service, name, protocol, destination, port.getPort(), cluster, !internalLocal, large));
        }
        if (usesLocalChain) {
            nat.put(localChain, policyChain(service, name, protocol, destination, port.getPort(), local, internalLocal, large));
        }
        List<ServiceEndpoints.Endpoint> withChains = new ArrayList<>(cluster);
        local.stream().filter(e -> !withChains.contains(e)).forEach(withChains::add);
        for (ServiceEndpoints.Endpoint endpoint : withChains) {
            String chain = chains.endpointChain(name, protocol, endpoint.address());
            List<String> rules = new ArrayList<>();
            rules.add("-s " + endpoint.ip() + "/32" + endpointComment(name, large) + " -j " + chains.markMasquerade());
            rules.add("-p " + protocol + endpointComment(name, large)
                    + (affinity(service) ? " -m recent --name " + chain + " --set" : "")
                    + " -m " + protocol + " -j DNAT --to-destination " + endpoint.address());
            nat.put(chain, rules);
        }
    }

    /** An SVC or SVL chain: masquerade of off-cluster sources (internal traffic only), affinity, then the spread. */
    private List<String> policyChain(Service service, String name, String protocol, String destination, int port,
            List<ServiceEndpoints.Endpoint> endpoints, boolean internalTraffic, boolean large) {
        List<String> rules = new ArrayList<>();
        if (internalTraffic) {
            settings.clusterCidr().ifPresent(cidr -> rules.add("! -s " + cidr + " " + destination + " -m comment --comment \"" + name
                    + " cluster IP\" -m " + protocol + " --dport " + port + " -j " + chains.markMasquerade()));
        }
        if (affinity(service)) {
            int timeout = affinityTimeout(service);
            for (ServiceEndpoints.Endpoint endpoint : endpoints) {
                String chain = chains.endpointChain(name, protocol, endpoint.address());
                rules.add((endpointComment(name + " -> " + endpoint.address(), large) + " -m recent --name " + chain
                        + " --rcheck --seconds " + timeout + " --reap -j " + chain).strip());
            }
        }
        for (int i = 0; i < endpoints.size(); i++) {
            ServiceEndpoints.Endpoint endpoint = endpoints.get(i);
            String chain = chains.endpointChain(name, protocol, endpoint.address());
            int remaining = endpoints.size() - i;
            rules.add((endpointComment(name + " -> " + endpoint.address(), large)
                    + (remaining > 1 ? " -m statistic --mode random --probability " + probability(remaining) : "") + " -j " + chain).strip());
        }
        return rules;
    }

    /** A comment for an endpoint's rules, none in a large cluster. */
    private static String endpointComment(String text, boolean large) {
        return large ? "" : " -m comment --comment \"" + text + "\"";
    }

    /** 1/n as kube-proxy prints it. */
    static String probability(int n) {
        return String.format(Locale.ROOT, "%.10f", 1.0 / n);
    }

    private static List<ServiceEndpoints.Endpoint> usable(List<ServiceEndpoints.Endpoint> endpoints, String onlyNode) {
        List<ServiceEndpoints.Endpoint> candidates = onlyNode == null ? endpoints
                : endpoints.stream().filter(e -> onlyNode.equals(e.nodeName())).toList();
        List<ServiceEndpoints.Endpoint> ready = candidates.stream().filter(ServiceEndpoints.Endpoint::ready).toList();
        return !ready.isEmpty() ? ready : candidates.stream().filter(e -> e.serving() && e.terminating()).toList();
    }

    private static boolean affinity(Service service) {
        return "ClientIP".equals(service.getSpec().getSessionAffinity());
    }

    private static int affinityTimeout(Service service) {
        var config = service.getSpec().getSessionAffinityConfig();
        if (config != null && config.getClientIP() != null && config.getClientIP().getTimeoutSeconds() != null) {
            return config.getClientIP().getTimeoutSeconds();
        }
        return 10800; // the API's default, three hours
    }

    /** "ns/svc:port" as kube-proxy names a service port ("ns/svc" for an unnamed port). */
    static String servicePortName(Service service, ServicePort port) {
        String base = service.getMetadata().getNamespace() + "/" + service.getMetadata().getName();
        return port.getName() == null || port.getName().isEmpty() ? base : base + ":" + port.getName();
    }
}
