package io.quarkube.agent.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.quarkube.agent.services.ServiceSource;
import io.quarkube.agent.testing.TestAgents;

/**
 * The proxy's sync loop on this host's real iptables (root), under chain prefixes of the test's own: changes
 * arriving faster than the minimum sync interval fold into few writes, and closing with cleanup removes
 * every chain. Services and slices come from an in-memory source instead of informers.
 */
class ServiceProxyTest {

    private final String tag = String.format("%04X", ThreadLocalRandom.current().nextInt(0x10000));
    private final ProxyChains chains = new ProxyChains("QUARKUBE-U" + tag, "QK-U" + tag);
    private final Iptables iptables = Iptables.system();
    private final InMemorySource source = new InMemorySource();
    private ServiceProxy proxy;

    @AfterEach
    void removeChains() {
        if (proxy != null) {
            proxy.close();
        }
        new RuleApplier(iptables, chains).cleanup();
        assertEquals(List.of(), ourChains());
    }

    @Test
    void changesWithinTheMinimumIntervalFoldIntoFewWritesThatEndInTheLatestState() {
        proxy = new ServiceProxy(source, new ProxyRuleGenerator(chains, new ProxyRuleGenerator.Settings(14, Optional.empty(), Optional.empty())),
                new RuleApplier(iptables, chains), "node-1", Duration.ofMillis(500), Duration.ofHours(1), true);
        proxy.start();
        TestAgents.await(Duration.ofSeconds(20), "the first sync", () -> ourChains().contains(chains.services()));
        long before = proxy.writes();

        for (int i = 0; i < 20; i++) {
            source.add(ProxyRuleGeneratorTest.web("ClusterIP", null, null), i);
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add(chains.serviceChain("ns/web-" + i + ":http", "tcp"));
        }
        TestAgents.await(Duration.ofSeconds(20), "all 20 services' chains", () -> ourChains().containsAll(expected));

        long writes = proxy.writes() - before;
        assertTrue(writes >= 1 && writes <= 3, "20 changes in quick succession made " + writes + " writes");
    }

    @Test
    void closingWithCleanupRemovesEveryChainAndJump() {
        proxy = new ServiceProxy(source, new ProxyRuleGenerator(chains, new ProxyRuleGenerator.Settings(14, Optional.empty(), Optional.empty())),
                new RuleApplier(iptables, chains), "node-1", Duration.ofMillis(100), Duration.ofHours(1), true);
        source.add(ProxyRuleGeneratorTest.web("NodePort", null, null), 0);
        proxy.start();
        String serviceChain = chains.serviceChain("ns/web-0:http", "tcp");
        TestAgents.await(Duration.ofSeconds(20), "the service's chain", () -> ourChains().contains(serviceChain));

        proxy.close();
        proxy = null;

        assertEquals(List.of(), ourChains());
        assertTrue(!iptables.save(List.of("nat", "filter")).contains(chains.prefix() + "-"), "no jump into the removed chains is left");
    }

    private List<String> ourChains() {
        List<String> found = new ArrayList<>();
        for (String line : iptables.save(List.of("nat", "filter")).split("\n")) {
            if (line.startsWith(":") && chains.owns(line.substring(1).split(" ")[0])) {
                found.add(line.substring(1).split(" ")[0]);
            }
        }
        return found;
    }

    /** Services web-N with one ready endpoint each, changed by the test. */
    static final class InMemorySource implements ServiceSource {
        private final List<Service> services = new CopyOnWriteArrayList<>();
        private final List<EndpointSlice> slices = new CopyOnWriteArrayList<>();
        private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

        void add(Service template, int n) {
            services.add(new ServiceBuilder(template).editMetadata().withName("web-" + n).endMetadata()
                    .editSpec().withClusterIP("10.111.200." + (n + 1)).endSpec().build());
            EndpointSlice slice = ProxyRuleGeneratorTest.slice(ProxyRuleGeneratorTest.ep("10.250.200." + (n + 1), "node-1", true));
            slice.getMetadata().setName("web-" + n + "-x");
            slice.getMetadata().getLabels().put(ServiceEndpoints.SERVICE_NAME_LABEL, "web-" + n);
            slices.add(slice);
            listeners.forEach(Runnable::run);
        }

        @Override
        public List<Service> services() {
            return List.copyOf(services);
        }

        @Override
        public List<EndpointSlice> endpointSlices() {
            return List.copyOf(slices);
        }

        @Override
        public void onChange(Runnable listener) {
            listeners.add(listener);
        }
    }
}
