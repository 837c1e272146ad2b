package io.quarkube.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkube.agent.config.AgentConfig;
import io.quarkube.agent.cri.CriRuntime;
import io.quarkube.agent.cri.v1.ExecSyncRequest;
import io.quarkube.agent.cri.v1.ExecSyncResponse;
import io.quarkube.agent.proxy.Iptables;
import io.quarkube.agent.proxy.ProxyChains;
import io.quarkube.agent.proxy.RuleApplier;
import io.quarkube.agent.testing.TestAgents;
import io.quarkube.agent.testing.containerd.ContainerdExtension;
import io.quarkube.agent.testing.containerd.TestContainerd;
import io.quarkube.agent.testing.controlplane.ControlPlane;
import io.quarkube.agent.testing.controlplane.ControlPlaneExtension;

/**
 * Services carrying real traffic between containers on containerd: the agent's service proxy (iptables) and
 * cluster DNS, with Services and EndpointSlices written by the test as the control plane's controllers would.
 * The Services have no selector, so the control plane's EndpointSlice controller leaves them to the test's slices
 * (ServicesEndToEndTest covers the controller's).
 * The host's iptables are shared with other test runs: this test's proxy uses chain prefixes of its own, a
 * cluster DNS address and listener port of its own, and removes its chains whatever the outcome.
 */
@ExtendWith({ControlPlaneExtension.class, ContainerdExtension.class})
class CriServicesTest {

    private static final List<String> WEB = List.of("web-0", "web-1", "web-2");
    private static final String NOT_READY = "web-3";

    @TempDir
    Path dir;

    private final String tag = String.format("%04X", ThreadLocalRandom.current().nextInt(0x10000));
    private final ProxyChains chains = new ProxyChains("QUARKUBE-T" + tag, "QK-T" + tag);
    private final Iptables iptables = Iptables.system();

    @AfterEach
    void removeChains() {
        new RuleApplier(iptables, chains).cleanup();
        assertEquals(List.of(), ourChains(), "no chain of this test's proxy is left");
    }

    @Test
    void clusterIpNodePortAndDnsNamesReachEveryReadyReplicaAffinityHoldsAndDeletingTheServiceRemovesItsChains(ControlPlane controlPlane, CriRuntime runtime)
            throws Exception {
        KubernetesClient admin = controlPlane.admin();
        String node = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        String namespace = "t-" + node;
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        String dnsIp = "10.96.1." + ThreadLocalRandom.current().nextInt(2, 250);
        String clusterIp = "10.100." + ThreadLocalRandom.current().nextInt(0, 256) + "." + ThreadLocalRandom.current().nextInt(2, 250);
        int nodePort = 30000 + ThreadLocalRandom.current().nextInt(0, 2768);
        Map<String, String> settings = new HashMap<>();
        settings.put("quarkube.agent.pods.cgroup-root", "/" + TestContainerd.CGROUP_ROOT);
        settings.put("quarkube.agent.proxy.enabled", "true");
        settings.put("quarkube.agent.proxy.chain-prefix", chains.prefix());
        settings.put("quarkube.agent.proxy.service-chain-prefix", chains.shortPrefix());
        settings.put("quarkube.agent.proxy.min-sync-interval", "100ms");
        settings.put("quarkube.agent.proxy.cleanup-on-exit", "true");
        settings.put("quarkube.agent.dns.enabled", "true");
        settings.put("quarkube.agent.dns.cluster-ip", dnsIp);
        settings.put("quarkube.agent.dns.port", Integer.toString(freePort()));
        AgentConfig config = TestAgents.config(dir, settings);

        try (KubernetesClient nodeClient = ControlPlane.client(controlPlane.nodeKubeconfig(node));
                Agent agent = TestAgents.start(nodeClient, config, List.of(node), n -> runtime)) {
            var pods = admin.pods().inNamespace(namespace);
            for (String name : concat(WEB, List.of(NOT_READY))) {
                pods.resource(webServer(name, node)).create();
            }
            pods.resource(client(node)).create();
            Map<String, String> ips = new HashMap<>();
            for (String name : concat(WEB, List.of(NOT_READY, "client"))) {
                TestAgents.await(Duration.ofSeconds(120), name + " Ready", () -> ready(pods.withName(name).get()));
                ips.put(name, pods.withName(name).get().getStatus().getPodIP());
            }
            String clientId = containerId(pods.withName("client").get());
            String resolvConf = exec(runtime, clientId, "cat", "/etc/resolv.conf");
            assertTrue(resolvConf.contains("nameserver " + dnsIp), resolvConf);
            assertTrue(resolvConf.contains("search " + namespace + ".svc.cluster.local svc.cluster.local cluster.local"), resolvConf);
            assertTrue(resolvConf.contains("options ndots:5"), resolvConf);

            admin.services().inNamespace(namespace).resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
                    .withNewSpec().withType("NodePort").withClusterIP(clusterIp)
                    .addNewPort().withName("http").withPort(80).withNewTargetPort(8080).withNodePort(nodePort).withProtocol("TCP").endPort()
                    .endSpec().build()).create();
            admin.services().inNamespace(namespace).resource(new ServiceBuilder().withNewMetadata().withName("web-headless").endMetadata()
                    .withNewSpec().withClusterIP("None")
                    .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort()
                    .endSpec().build()).create();
            // Before the slices exist the service has no endpoints: the proxy rejects its traffic at once.
            java.util.concurrent.atomic.AtomicReference<String> last = new java.util.concurrent.atomic.AtomicReference<>();
            awaitOrDump(Duration.ofSeconds(20), "rejected without endpoints", last, () -> {
                last.set(exec(runtime, clientId, "sh", "-c", "nc -w 5 " + clusterIp + " 80 </dev/null 2>&1; echo exit=$?"));
                return last.get().contains("refused");
            });
            for (String service : List.of("web", "web-headless")) {
                admin.discovery().v1().endpointSlices().inNamespace(namespace).resource(slice(service, node, ips)).create();
            }

            String byIp = clusterIp;
            TestAgents.await(Duration.ofSeconds(20), "the cluster IP answers", () -> !fetchFromPod(runtime, clientId, byIp, 1).isEmpty());
            assertRepliesComeFromEveryReadyReplica(fetchFromPod(runtime, clientId, byIp, 30), "by cluster IP");
            assertRepliesComeFromEveryReadyReplica(fetchFromPod(runtime, clientId, "web." + namespace + ".svc.cluster.local", 30),
                    "by the service's full DNS name");
            assertRepliesComeFromEveryReadyReplica(fetchFromPod(runtime, clientId, "web", 30), "by the short name");

            // Hairpin: a replica reaching its own Service, sometimes itself.
            List<String> hairpin = fetchFromPod(runtime, containerId(pods.withName("web-0").get()), byIp, 30);
            assertRepliesComeFromEveryReadyReplica(hairpin, "from a replica to its own service");

            String hostIp = hostAddress();
            List<String> fromHost = new ArrayList<>();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            for (int i = 0; i < 30; i++) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://" + hostIp + ":" + nodePort + "/"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode());
                fromHost.add(response.body().strip());
            }
            assertRepliesComeFromEveryReadyReplica(fromHost, "by node port from the host");

            String lookup = exec(runtime, clientId, "nslookup", "web-headless." + namespace + ".svc.cluster.local");
            for (String name : WEB) {
                assertTrue(lookup.contains(ips.get(name)), "headless name resolves to " + name + "'s address: " + lookup);
            }
            assertFalse(lookup.contains(ips.get(NOT_READY)), "the not-ready pod is not in the headless answer: " + lookup);

            String srv = exec(runtime, clientId, "nslookup", "-type=SRV", "_http._tcp.web." + namespace + ".svc.cluster.local");
            assertTrue(srv.contains("80 web." + namespace + ".svc.cluster.local"), "SRV of the named port: " + srv);

            // The node itself resolves through the same address (OUTPUT redirect to the listener).
            Process hostLookup = new ProcessBuilder("busybox", "nslookup", "web." + namespace + ".svc.cluster.local", dnsIp)
                    .redirectErrorStream(true).start();
            String fromHostLookup = new String(hostLookup.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(hostLookup.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(fromHostLookup.contains("Address: " + clusterIp), "the host resolves the service: " + fromHostLookup);

            // sessionAffinity ClientIP: every request of one client goes to one replica.
            String stickyIp = "10.101." + ThreadLocalRandom.current().nextInt(0, 256) + "." + ThreadLocalRandom.current().nextInt(2, 250);
            admin.services().inNamespace(namespace).resource(new ServiceBuilder().withNewMetadata().withName("web-sticky").endMetadata()
                    .withNewSpec().withClusterIP(stickyIp).withSessionAffinity("ClientIP")
                    .addNewPort().withName("http").withPort(80).withNewTargetPort(8080).withProtocol("TCP").endPort()
                    .endSpec().build()).create();
            admin.discovery().v1().endpointSlices().inNamespace(namespace).resource(slice("web-sticky", node, ips)).create();
            TestAgents.await(Duration.ofSeconds(20), "the sticky service answers", () -> !fetchFromPod(runtime, clientId, stickyIp, 1).isEmpty());
            List<String> sticky = fetchFromPod(runtime, clientId, stickyIp, 15);
            assertEquals(15, sticky.size(), sticky.toString());
            assertEquals(1, new HashSet<>(sticky).size(), "one replica for one client: " + sticky);

            String serviceChain = chains.serviceChain(namespace + "/web:http", "tcp");
            assertTrue(ourChains().contains(serviceChain), "the service's chain " + serviceChain + " exists");
            List<String> endpointChains = WEB.stream().map(name -> chains.endpointChain(namespace + "/web:http", "tcp", ips.get(name) + ":8080")).toList();
            assertTrue(ourChains().containsAll(endpointChains), "the endpoints' chains exist");
            admin.services().inNamespace(namespace).withName("web").delete();
            TestAgents.await(Duration.ofSeconds(20), "the service's chains removed", () -> !ourChains().contains(serviceChain));
            assertTrue(ourChains().stream().noneMatch(endpointChains::contains), "its endpoints' chains removed too: " + ourChains());
            assertTrue(ourChains().contains(chains.serviceChain(namespace + "/web-sticky:http", "tcp")), "the other service's chain stays");
        }
        assertEquals(List.of(), ourChains(), "the agent removed its chains when it stopped (cleanup-on-exit)");
    }

    /** As TestAgents.await, failing with the last output seen and this proxy's rules, to tell what went wrong. */
    private void awaitOrDump(Duration timeout, String what, java.util.concurrent.atomic.AtomicReference<String> last,
            java.util.function.BooleanSupplier condition) {
        try {
            TestAgents.await(timeout, what, condition);
        } catch (AssertionError e) {
            StringBuilder rules = new StringBuilder();
            for (String line : iptables.save(List.of("nat", "filter")).split("\n")) {
                if (line.contains(chains.prefix()) || line.contains(chains.shortPrefix() + "-") || line.startsWith("*")) {
                    rules.append(line).append('\n');
                }
            }
            throw new AssertionError(e.getMessage() + "; last output: " + last.get() + "\nrules:\n" + rules, e);
        }
    }

    private static void assertRepliesComeFromEveryReadyReplica(List<String> replies, String how) {
        assertEquals(30, replies.size(), how + ": every request answered: " + replies);
        assertEquals(new HashSet<>(WEB), new HashSet<>(replies), how + ": replies from each ready replica and no other: " + replies);
    }

    /**
     * count HTTP requests to host:80 from inside a pod; the bodies (one host name each) of those answered. Through
     * busybox nc: the wget of Debian's busybox-static 1.35 crashes (SIGSEGV) on this machine before it sends anything.
     */
    private static List<String> fetchFromPod(CriRuntime runtime, String containerId, String host, int count) {
        String out = exec(runtime, containerId, "sh", "-c", "for i in $(seq " + count + "); do "
                + "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 " + host + " 80 2>/dev/null | tail -n 1; done");
        return Arrays.stream(out.split("\n")).map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    private static EndpointSlice slice(String service, String node, Map<String, String> ips) {
        var builder = new EndpointSliceBuilder().withNewMetadata().withName(service + "-abcde")
                .addToLabels("kubernetes.io/service-name", service).endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort();
        for (String name : concat(WEB, List.of(NOT_READY))) {
            boolean ready = !name.equals(NOT_READY);
            builder.addNewEndpoint().withAddresses(ips.get(name)).withNodeName(node)
                    .withNewConditions().withReady(ready).withServing(ready).withTerminating(false).endConditions()
                    .withNewTargetRef().withKind("Pod").withName(name).endTargetRef()
                    .endEndpoint();
        }
        return builder.build();
    }

    private static Pod webServer(String name, String node) {
        return new PodBuilder().withNewMetadata().withName(name).addToLabels("app", "web").endMetadata()
                .withNewSpec().withNodeName(node).withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("httpd").withImage(TestContainerd.BUSYBOX_IMAGE).withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www")
                .addNewPort().withName("http").withContainerPort(8080).endPort()
                .endContainer().endSpec().build();
    }

    private static Pod client(String node) {
        return new PodBuilder().withNewMetadata().withName("client").endMetadata()
                .withNewSpec().withNodeName(node).withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("client").withImage(TestContainerd.BUSYBOX_IMAGE).withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "exec sleep 3600")
                .endContainer().endSpec().build();
    }

    private List<String> ourChains() {
        List<String> found = new ArrayList<>();
        for (String line : iptables.save(List.of("nat", "filter")).split("\n")) {
            if (line.startsWith(":")) {
                String chain = line.substring(1).split(" ")[0];
                if (chains.owns(chain)) {
                    found.add(chain);
                }
            }
        }
        return found;
    }

    /** An IPv4 address of this host other than loopback, where node ports answer. */
    private static String hostAddress() throws IOException {
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : nic.inetAddresses().toList()) {
                if (address instanceof Inet4Address) {
                    return address.getHostAddress();
                }
            }
        }
        throw new IllegalStateException("no IPv4 address on this host");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String containerId(Pod pod) {
        return pod.getStatus().getContainerStatuses().get(0).getContainerID().substring("containerd://".length());
    }

    private static String exec(CriRuntime runtime, String containerId, String... command) {
        ExecSyncResponse response = runtime.execSync(ExecSyncRequest.newBuilder().setContainerId(containerId)
                .addAllCmd(List.of(command)).setTimeout(60).build()).await().atMost(Duration.ofSeconds(90));
        return response.getStdout().toString(StandardCharsets.UTF_8) + response.getStderr().toString(StandardCharsets.UTF_8);
    }

    private static boolean ready(Pod pod) {
        return pod != null && pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }
}
