package io.quarkube.agent.e2e;

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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkube.agent.Agent;
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

/**
 * Services end to end on containerd, with nothing written by hand that a cluster's components write: the packaged
 * control plane (scheduler, Deployment, EndpointSlice controllers; ClusterIP and NodePort allocation; the
 * {@code kube-system/kube-dns} Service) and one node agent on the real runtime, which runs the pods and is the
 * node's service proxy and cluster DNS. Traffic is real HTTP from busybox {@code httpd} replicas to a busybox
 * client pod and to the host.
 *
 * <p>The host's iptables are shared with other test runs: the agent's proxy uses chain prefixes of its own, and
 * the cluster DNS address (the control plane's kube-dns address and the agent's alike) and DNS listener port are
 * this run's own. Its chains are removed whatever the outcome.
 */
@ExtendWith(ContainerdExtension.class)
class ServicesEndToEndTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final int REQUESTS = 30;

    @TempDir
    Path dir;

    private final String tag = String.format("%04X", ThreadLocalRandom.current().nextInt(0x10000));
    private final ProxyChains chains = new ProxyChains("QUARKUBE-E" + tag, "QK-E" + tag);
    private final Iptables iptables = Iptables.system();

    @AfterEach
    void removeChains() {
        new RuleApplier(iptables, chains).cleanup();
    }

    @Test
    void aDeploymentBehindAServiceAnswersByClusterIpDnsNameAndNodePortThroughReadinessScalingAndARollingUpdate(CriRuntime runtime)
            throws Exception {
        // An address of the service range of this run only, so no other run's DNS redirect takes its queries.
        String dnsIp = "10.9" + ThreadLocalRandom.current().nextInt(7, 10) + "." + ThreadLocalRandom.current().nextInt(0, 256) + "."
                + ThreadLocalRandom.current().nextInt(2, 250);
        String node = "svc-e2e-" + tag.toLowerCase();
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

        try (ControlPlane controlPlane = ControlPlane.start(Map.of("quarkube.services.cluster-dns-ip", dnsIp));
                KubernetesClient nodeClient = ControlPlane.client(controlPlane.nodeKubeconfig(node));
                Agent agent = TestAgents.start(nodeClient, TestAgents.config(dir, settings), List.of(node), n -> runtime)) {
            KubernetesClient admin = controlPlane.admin();
            Kubectl kubectl = new Kubectl(33, controlPlane.adminKubeconfig());

            // kube-dns is there as on a kubeadm cluster, at the address the agent answers DNS on.
            String systemServices = kubectl.ok("-n", "kube-system", "get", "svc").stdout();
            assertTrue(systemServices.lines().anyMatch(line -> line.startsWith("kube-dns ") && line.contains(dnsIp)
                    && line.contains("53/UDP,53/TCP")), systemServices);

            String ns = "svc-e2e";
            kubectl.ok("create", "namespace", ns);
            kubectl.okWithInput(WEB_DEPLOYMENT + SERVICES, "-n", ns, "apply", "-f", "-");
            kubectl.okWithInput(CLIENT_POD, "-n", ns, "apply", "-f", "-");
            kubectl.ok("-n", ns, "rollout", "status", "deployment/web", "--timeout=120s");
            kubectl.ok("-n", ns, "wait", "--for=condition=Ready", "pod/client", "--timeout=120s");
            Service web = admin.services().inNamespace(ns).withName("web").get();
            String clusterIp = web.getSpec().getClusterIP();
            int nodePort = web.getSpec().getPorts().get(0).getNodePort();
            String client = containerId(admin.pods().inNamespace(ns).withName("client").get());

            Set<String> replicas = awaitReadyEndpoints(admin, ns, 3);
            assertEquals(podNames(admin, ns), replicas, "the slice's ready endpoints are the Deployment's pods");
            TestAgents.await(Duration.ofSeconds(20), "the cluster IP answers", () -> !fetch(runtime, client, clusterIp, 1).isEmpty());

            assertEquals(replicas, answeredBy(fetch(runtime, client, clusterIp, REQUESTS)), "by cluster IP");
            assertEquals(replicas, answeredBy(fetch(runtime, client, "web." + ns + ".svc.cluster.local", REQUESTS)), "by full DNS name");
            assertEquals(replicas, answeredBy(fetch(runtime, client, "web", REQUESTS)), "by short DNS name (search path)");
            assertEquals(replicas, answeredBy(fromHost(hostAddress(), nodePort, REQUESTS)), "by node port from the host");
            assertEquals(podIps(admin, ns, replicas), headlessAddresses(runtime, client, ns), "the headless Service resolves to the pod IPs");

            // A replica whose readiness probe fails leaves the Service: no traffic, and not in the headless answer.
            String unready = replicas.iterator().next();
            exec(runtime, containerId(admin.pods().inNamespace(ns).withName(unready).get()), "rm", "/tmp/ready");
            Set<String> stillReady = new TreeSet<>(replicas);
            stillReady.remove(unready);
            assertEquals(stillReady, awaitReadyEndpoints(admin, ns, 2));
            TestAgents.await(Duration.ofSeconds(20), "the proxy stops sending to " + unready,
                    () -> stillReady.equals(answeredBy(fetch(runtime, client, clusterIp, REQUESTS))));
            assertEquals(stillReady, answeredBy(fetch(runtime, client, clusterIp, REQUESTS)), "no traffic to the not-ready replica");
            assertEquals(podIps(admin, ns, stillReady), headlessAddresses(runtime, client, ns), "headless: ready pods only");
            exec(runtime, containerId(admin.pods().inNamespace(ns).withName(unready).get()), "touch", "/tmp/ready");
            awaitReadyEndpoints(admin, ns, 3);

            kubectl.ok("-n", ns, "scale", "deployment/web", "--replicas=4");
            kubectl.ok("-n", ns, "rollout", "status", "deployment/web", "--timeout=120s");
            Set<String> scaled = awaitReadyEndpoints(admin, ns, 4);
            TestAgents.await(Duration.ofSeconds(20), "all 4 replicas answer",
                    () -> scaled.equals(answeredBy(fetch(runtime, client, clusterIp, 40))));

            // A rolling update while the client sends requests without pause.
            CompletableFuture<String> load = CompletableFuture.supplyAsync(
                    () -> exec(runtime, client, "sh", "-c", CONTINUOUS_REQUESTS.formatted(clusterIp)));
            TestAgents.await(Duration.ofSeconds(20), "the client is sending", () -> !exec(runtime, client, "cat", "/tmp/count").isBlank());
            kubectl.ok("-n", ns, "set", "env", "deployment/web", "VERSION=2");
            kubectl.ok("-n", ns, "rollout", "status", "deployment/web", "--timeout=180s");
            TestAgents.await(DEADLINE, "only the new replicas left", () -> podNames(admin, ns).size() == 4
                    && admin.pods().inNamespace(ns).withLabel("app", "web").list().getItems().stream()
                            .allMatch(p -> p.getMetadata().getDeletionTimestamp() == null && "2".equals(version(p))));
            Set<String> updated = awaitReadyEndpoints(admin, ns, 4);
            exec(runtime, client, "touch", "/tmp/stop");
            String[] outcome = load.get(60, TimeUnit.SECONDS).strip().split("\n");
            String summary = outcome[outcome.length - 1];
            List<String> answers = Arrays.asList(outcome).subList(0, outcome.length - 1);
            int requests = Integer.parseInt(summary.replaceAll(".*requests=(\\d+).*", "$1"));
            int failed = Integer.parseInt(summary.replaceAll(".*failed=(\\d+).*", "$1"));
            System.out.printf("rolling update: %d requests, %d failed%n", requests, failed);
            assertTrue(requests > 100, "the client kept sending during the rollout: " + summary);
            assertTrue(answers.containsAll(updated), "the new replicas served during the run: " + updated);
            assertEquals(0, failed, "no request failed during the rolling update: " + summary + "\n"
                    + answers.stream().filter(a -> a.startsWith("FAILED")).collect(Collectors.joining("\n")));
        }
        assertFalse(ourChainsLeft(), "the agent removed its chains when it stopped");
    }

    private static final String WEB_DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 3
              selector:
                matchLabels: {app: web}
              strategy:
                rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  terminationGracePeriodSeconds: 10
                  containers:
                  - name: httpd
                    image: %s
                    imagePullPolicy: IfNotPresent
                    env: [{name: VERSION, value: "1"}]
                    command: [sh, -c, "mkdir -p /www && hostname > /www/index.html && touch /tmp/ready && exec httpd -f -p 8080 -h /www"]
                    ports: [{name: http, containerPort: 8080}]
                    readinessProbe:
                      exec: {command: [cat, /tmp/ready]}
                      periodSeconds: 1
                      failureThreshold: 1
                    lifecycle:
                      # kept serving while the proxies drop the terminating pod from their rules
                      preStop: {exec: {command: [sleep, "3"]}}
            """.formatted(TestContainerd.BUSYBOX_IMAGE);

    private static final String SERVICES = """
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              type: NodePort
              selector: {app: web}
              ports: [{name: http, port: 80, targetPort: http}]
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: web-headless
            spec:
              clusterIP: None
              selector: {app: web}
              ports: [{name: http, port: 8080}]
            """;

    private static final String CLIENT_POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: client
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: client
                image: %s
                imagePullPolicy: IfNotPresent
                command: [sh, -c, "exec sleep 3600"]
            """.formatted(TestContainerd.BUSYBOX_IMAGE);

    /**
     * Requests one after another until /tmp/stop exists: each answer's body (the replica's host name) or FAILED,
     * then a summary line. /tmp/count tells that it started.
     */
    private static final String CONTINUOUS_REQUESTS = """
            n=0; failed=0; rm -f /tmp/stop
            while [ ! -f /tmp/stop ]; do
              n=$((n+1)); echo $n > /tmp/count
              if ! timeout 5 wget -q -O - http://%s/ 2>/tmp/err; then failed=$((failed+1)); echo "FAILED $(date +%%s) $(cat /tmp/err)"; fi
            done
            echo "requests=$n failed=$failed"
            """;

    /**
     * count requests to http://host/ from a pod with busybox wget; the bodies of those answered. Bounded by busybox
     * {@code timeout}, not wget's own {@code -T}: Debian's busybox-static 1.35 wget crashes (SIGSEGV) whenever it is
     * given {@code -T}, by IP or by name, on the host as in a pod; without it, it works both ways.
     */
    private static List<String> fetch(CriRuntime runtime, String containerId, String host, int count) {
        String out = exec(runtime, containerId, "sh", "-c",
                "for i in $(seq " + count + "); do timeout 5 wget -q -O - http://" + host + "/ 2>&1 || echo FAILED; done");
        return Arrays.stream(out.split("\n")).map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    /** The replicas that answered, failing when a request failed. */
    private static Set<String> answeredBy(List<String> answers) {
        assertTrue(answers.stream().noneMatch(a -> a.startsWith("FAILED") || a.contains("wget:")), "every request answered: " + answers);
        return new TreeSet<>(answers);
    }

    private static List<String> fromHost(String hostIp, int nodePort, int count) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://" + hostIp + ":" + nodePort + "/"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            answers.add(response.statusCode() == 200 ? response.body().strip() : "FAILED " + response.statusCode());
        }
        return answers;
    }

    /** The addresses nslookup gives in the pod for the headless Service. */
    private static Set<String> headlessAddresses(CriRuntime runtime, String containerId, String ns) {
        String lookup = exec(runtime, containerId, "nslookup", "-type=A", "web-headless." + ns + ".svc.cluster.local");
        String answer = lookup.substring(Math.max(0, lookup.indexOf("Name:")));
        return answer.lines().filter(line -> line.startsWith("Address:")).map(line -> line.substring("Address:".length()).strip())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Waits until the web Service's slices list exactly count ready endpoints; their pods' names. */
    private static Set<String> awaitReadyEndpoints(KubernetesClient admin, String ns, int count) {
        AtomicReference<Set<String>> ready = new AtomicReference<>();
        TestAgents.await(DEADLINE, count + " ready endpoints of web", () -> {
            ready.set(new TreeSet<>());
            for (EndpointSlice slice : admin.discovery().v1().endpointSlices().inNamespace(ns)
                    .withLabel("kubernetes.io/service-name", "web").list().getItems()) {
                for (Endpoint endpoint : slice.getEndpoints() == null ? List.<Endpoint>of() : slice.getEndpoints()) {
                    if (Boolean.TRUE.equals(endpoint.getConditions().getReady())) {
                        ready.get().add(endpoint.getTargetRef().getName());
                    }
                }
            }
            return ready.get().size() == count;
        });
        return ready.get();
    }

    private static Set<String> podNames(KubernetesClient admin, String ns) {
        return admin.pods().inNamespace(ns).withLabel("app", "web").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).map(p -> p.getMetadata().getName())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> podIps(KubernetesClient admin, String ns, Set<String> names) {
        return names.stream().map(name -> admin.pods().inNamespace(ns).withName(name).get().getStatus().getPodIP())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String version(Pod pod) {
        return pod.getSpec().getContainers().get(0).getEnv().stream().filter(e -> e.getName().equals("VERSION"))
                .map(e -> e.getValue()).findFirst().orElse("");
    }

    private boolean ourChainsLeft() {
        return iptables.save(List.of("nat", "filter")).lines().filter(line -> line.startsWith(":"))
                .anyMatch(line -> chains.owns(line.substring(1).split(" ")[0]));
    }

    /** An IPv4 address of this host other than loopback, where node ports answer. */
    private static String hostAddress() throws IOException {
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress address : nic.inetAddresses().toList()) {
                    if (address instanceof Inet4Address) {
                        return address.getHostAddress();
                    }
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

    private static String containerId(Pod pod) {
        return pod.getStatus().getContainerStatuses().get(0).getContainerID().substring("containerd://".length());
    }

    private static String exec(CriRuntime runtime, String containerId, String... command) {
        ExecSyncResponse response = runtime.execSync(ExecSyncRequest.newBuilder().setContainerId(containerId)
                .addAllCmd(List.of(command)).setTimeout(600).build()).await().atMost(Duration.ofSeconds(630));
        return response.getStdout().toString(StandardCharsets.UTF_8) + response.getStderr().toString(StandardCharsets.UTF_8);
    }
}
