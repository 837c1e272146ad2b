package io.quarkube.agent;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkube.agent.config.AgentConfig;
import io.quarkube.agent.dns.ClusterDnsAnswers;
import io.quarkube.agent.dns.ClusterDnsServer;
import io.quarkube.agent.dns.PodDnsConfigs;
import io.quarkube.agent.dns.ResolvConf;
import io.quarkube.agent.proxy.Iptables;
import io.quarkube.agent.proxy.ProxyChains;
import io.quarkube.agent.proxy.ProxyRuleGenerator;
import io.quarkube.agent.proxy.RuleApplier;
import io.quarkube.agent.proxy.ServiceProxy;
import io.quarkube.agent.services.ServiceInformers;

/**
 * What a node with real containers runs for Services besides its pods: the Service and EndpointSlice informers,
 * the service proxy (iptables) and the cluster DNS server, each as configured. Started and stopped as one.
 */
final class NodeNetworking implements AutoCloseable {

    private final ServiceInformers informers;
    private ClusterDnsServer dns;
    private ServiceProxy proxy;

    private NodeNetworking(ServiceInformers informers) {
        this.informers = informers;
    }

    /** Each pod's resolv.conf: ClusterFirst pods get the cluster DNS address when the agent serves cluster DNS. */
    static PodDnsConfigs podDnsConfigs(AgentConfig config) {
        return new PodDnsConfigs(config.dns().enabled() ? Optional.of(config.dns().clusterIp()) : Optional.empty(),
                config.dns().clusterDomain(), ResolvConf.read(config.dns().resolvConf()));
    }

    static NodeNetworking start(KubernetesClient client, AgentConfig config, String nodeName) {
        if (!config.proxy().enabled() && !config.dns().enabled()) {
            return null;
        }
        NodeNetworking networking = new NodeNetworking(new ServiceInformers(client));
        try {
            networking.informers.start();
            if (config.dns().enabled()) {
                // Never the cluster DNS address itself as upstream: that would loop.
                List<InetSocketAddress> upstreams = ResolvConf.read(config.dns().resolvConf()).nameservers().stream()
                        .filter(server -> !server.equals(config.dns().clusterIp())).map(server -> new InetSocketAddress(server, 53)).toList();
                networking.dns = new ClusterDnsServer(new ClusterDnsAnswers(config.dns().clusterDomain(), networking.informers),
                        config.dns().bindAddress(), config.dns().port(), upstreams, config.dns().upstreamTimeout());
                networking.dns.start();
            }
            if (config.proxy().enabled()) {
                ProxyChains chains = chains(config);
                Optional<ProxyRuleGenerator.DnsRedirect> redirect = config.dns().enabled()
                        ? Optional.of(new ProxyRuleGenerator.DnsRedirect(config.dns().clusterIp(), networking.dns.port()))
                        : Optional.empty();
                String cidr = config.proxy().clusterCidr();
                ProxyRuleGenerator generator = new ProxyRuleGenerator(chains, new ProxyRuleGenerator.Settings(config.proxy().masqueradeBit(),
                        cidr.isBlank() || cidr.equals("none") ? Optional.empty() : Optional.of(cidr), redirect));
                networking.proxy = new ServiceProxy(networking.informers, generator, new RuleApplier(Iptables.system(), chains), nodeName,
                        config.proxy().minSyncInterval(), config.proxy().fullSyncInterval(), config.proxy().cleanupOnExit());
                networking.proxy.start();
            }
            return networking;
        } catch (RuntimeException e) {
            networking.close();
            throw e;
        }
    }

    static ProxyChains chains(AgentConfig config) {
        return new ProxyChains(config.proxy().chainPrefix(), config.proxy().serviceChainPrefix());
    }

    /** Removes every chain and jump of the configured proxy (bin/quarkube agent --cleanup-proxy). */
    static void cleanupProxy(AgentConfig config) {
        new RuleApplier(Iptables.system(), chains(config)).cleanup();
    }

    @Override
    public void close() {
        if (proxy != null) {
            proxy.close();
        }
        if (dns != null) {
            dns.close();
        }
        informers.close();
    }
}
