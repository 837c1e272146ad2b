package io.quarkube.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.quarkube.agent.cri.CriRuntime;
import io.quarkube.agent.cri.CriRuntimeSettings;
import io.quarkube.agent.cri.v1.CreateContainerRequest;
import io.quarkube.agent.cri.v1.PodSandboxConfig;
import io.quarkube.agent.cri.v1.RemovePodSandboxRequest;
import io.quarkube.agent.cri.v1.RunPodSandboxRequest;
import io.quarkube.agent.cri.v1.StartContainerRequest;
import io.quarkube.agent.cri.v1.StopPodSandboxRequest;
import io.quarkube.agent.pods.ContainerConfigs;
import io.quarkube.agent.pods.EnvSources;
import io.quarkube.agent.pods.SandboxConfigs;

/**
 * Pod startup latency on containerd: N pods with spec.nodeName set are created through the API, CONCURRENCY
 * at a time (closed loop: a client creates its next pod once the previous one is Running and Ready), and each
 * pod's latency is create request sent → Running and Ready seen by a watch. The baseline, in the same run and
 * against the same containerd: the raw CRI calls for the same pods (RunPodSandbox + CreateContainer +
 * StartContainer, with the very requests the agent builds), CONCURRENCY at a time. Each path first starts WARMUP
 * pods that are not counted and are removed before the measured ones. Then the agent's RSS.
 */
public final class PodStartBenchmark {

    public static void main(String[] argv) {
        // The client pools and gRPC keep threads alive: the process ends here, whatever happened.
        int status = 1;
        try {
            run(new Args(argv));
            status = 0;
        } catch (Exception | Error e) {
            e.printStackTrace();
        } finally {
            System.exit(status);
        }
    }

    private static void run(Args args) throws Exception {
        if (args.get("remove-all-sandboxes", "false").equals("true")) {
            removeAllSandboxes(Path.of(args.get("cri-socket")));
            return;
        }
        int pods = args.getInt("pods", 100);
        int concurrency = args.getInt("concurrency", 10);
        // Warm-up pods through each path, not counted: the first requests of a freshly started control plane (and
        // runtime) load and compile their code, which is start-up cost, not pod start-up latency.
        int warmup = args.getInt("warmup", concurrency);
        String node = args.get("node");
        String image = args.get("image");
        String logRoot = args.get("log-root");
        Optional<String> cgroupRoot = Optional.of(args.get("cgroup-root"));
        long agentPid = Long.parseLong(args.get("agent-pid"));

        Latencies raw;
        try (CriRuntime runtime = CriRuntime.connect(CriRuntimeSettings.of(Path.of(args.get("cri-socket"))))) {
            // One call first, on this thread: Mutiny's context propagation set-up is not safe to race outside Quarkus.
            runtime.version(io.quarkube.agent.cri.v1.VersionRequest.getDefaultInstance()).await().atMost(Duration.ofSeconds(30));
            rawCri(runtime, "warmup-", warmup, concurrency, node, image, logRoot, cgroupRoot);
            raw = rawCri(runtime, "raw-", pods, concurrency, node, image, logRoot, cgroupRoot);
        }
        System.out.printf("raw CRI (RunPodSandbox + CreateContainer + StartContainer), %d pods, %d at a time: %s%n",
                pods, concurrency, raw.summary());

        Config config = Config.fromKubeconfig(Files.readString(Path.of(args.get("kubeconfig"))));
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            throughApi(client, "bench-podstart-warmup", warmup, concurrency, node, image);
            removePods(client, "bench-podstart-warmup");
            Latencies api = throughApi(client, "bench-podstart", pods, concurrency, node, image);
            System.out.printf("API create → Running and Ready (watch), %d pods, %d at a time: %s%n", pods, concurrency, api.summary());
            System.out.printf("ratio API / raw CRI: p50 %.2f, p99 %.2f%n",
                    api.percentileMillis(50) / raw.percentileMillis(50), api.percentileMillis(99) / raw.percentileMillis(99));
            System.out.printf("agent RSS with %d pods running: %d MB%n", pods, rssMegabytes(agentPid));
        }
    }

    /** The same CRI calls the agent makes for a one-container pod, timed per pod; the sandboxes are removed afterwards. */
    private static Latencies rawCri(CriRuntime runtime, String prefix, int pods, int concurrency, String node, String image, String logRoot,
            Optional<String> cgroupRoot) throws Exception {
        Latencies latencies = new Latencies();
        List<String> sandboxes = java.util.Collections.synchronizedList(new ArrayList<>());
        EnvSources noSources = new EnvSources() {
            @Override
            public Optional<io.fabric8.kubernetes.api.model.ConfigMap> configMap(String namespace, String name) {
                return Optional.empty();
            }

            @Override
            public Optional<io.fabric8.kubernetes.api.model.Secret> secret(String namespace, String name) {
                return Optional.empty();
            }

            @Override
            public Optional<IssuedToken> serviceAccountToken(Pod pod, String serviceAccount, String audience, long expirationSeconds) {
                return Optional.empty(); // the benchmark's pods mount no projected token
            }
        };
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        Duration timeout = Duration.ofMinutes(2);
        for (int c = 0; c < concurrency; c++) {
            loops.add(CompletableFuture.runAsync(() -> {
                for (int i = next.getAndIncrement(); i < pods; i = next.getAndIncrement()) {
                    Pod pod = new PodBuilder(pod(prefix + i, node, image))
                            .editMetadata().withNamespace("bench-raw").withUid(UUID.randomUUID().toString()).endMetadata().build();
                    PodSandboxConfig sandboxConfig = SandboxConfigs.sandboxConfig(pod, node, 0, logRoot, cgroupRoot);
                    long started = System.nanoTime();
                    try {
                        Files.createDirectories(Path.of(sandboxConfig.getLogDirectory()));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    String sandbox = runtime.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(sandboxConfig).build())
                            .await().atMost(timeout).getPodSandboxId();
                    sandboxes.add(sandbox);
                    var context = new ContainerConfigs.PodContext(node, "127.0.0.1", "", Map.of(), Map.of(), noSources, 0);
                    var containerConfig = ContainerConfigs.containerConfig(pod, pod.getSpec().getContainers().get(0), 0, context);
                    String container = runtime.createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(sandbox)
                            .setConfig(containerConfig).setSandboxConfig(sandboxConfig).build()).await().atMost(timeout).getContainerId();
                    runtime.startContainer(StartContainerRequest.newBuilder().setContainerId(container).build()).await().atMost(timeout);
                    latencies.record(System.nanoTime() - started);
                }
            }, clients));
        }
        CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
        for (String sandbox : sandboxes) {
            runtime.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(sandbox).build()).await().atMost(timeout);
            runtime.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandbox).build()).await().atMost(timeout);
        }
        clients.shutdown();
        return latencies;
    }

    /** Creates the pods through the API, CONCURRENCY at a time; a watch on the namespace completes each pod's wait. */
    private static Latencies throughApi(KubernetesClient client, String namespace, int pods, int concurrency, String node, String image)
            throws Exception {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).createOr(c -> c.update());
        Map<String, CompletableFuture<Long>> readyAt = new ConcurrentHashMap<>();
        for (int i = 0; i < pods; i++) {
            readyAt.put("pod-" + i, new CompletableFuture<>());
        }
        Latencies latencies = new Latencies();
        try (var watch = client.pods().inNamespace(namespace).watch(new Watcher<Pod>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                long now = System.nanoTime();
                CompletableFuture<Long> future = readyAt.get(pod.getMetadata().getName());
                if (future != null && runningAndReady(pod)) {
                    future.complete(now);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                readyAt.values().forEach(f -> f.completeExceptionally(new IllegalStateException("watch closed", cause)));
            }
        })) {
            AtomicInteger next = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(concurrency);
            List<CompletableFuture<Void>> loops = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                loops.add(CompletableFuture.runAsync(() -> {
                    for (int i = next.getAndIncrement(); i < pods; i = next.getAndIncrement()) {
                        String name = "pod-" + i;
                        Pod pod = new PodBuilder(pod(name, node, image)).editMetadata().withNamespace(namespace).endMetadata().build();
                        long started = System.nanoTime();
                        client.pods().inNamespace(namespace).resource(pod).create();
                        try {
                            latencies.record(readyAt.get(name).get(2, TimeUnit.MINUTES) - started);
                        } catch (Exception e) {
                            throw new IllegalStateException(name + " not Running and Ready within 2 minutes", e);
                        }
                    }
                }, clients));
            }
            CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
            clients.shutdown();
        }
        return latencies;
    }

    /** Deletes the namespace's pods and waits until the agent has stopped them and they are gone from the API. */
    private static void removePods(KubernetesClient client, String namespace) throws InterruptedException {
        client.pods().inNamespace(namespace).delete();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!client.pods().inNamespace(namespace).list().getItems().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("warm-up pods in " + namespace + " not gone within 2 minutes");
            }
            Thread.sleep(200);
        }
    }

    private static Pod pod(String name, String node, String image) {
        return new PodBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName(node).withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("app").withImage(image).withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "exec sleep 3600")
                .endContainer()
                .endSpec().build();
    }

    private static boolean runningAndReady(Pod pod) {
        return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase()) && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    /** Clean-up after a run, also a failed one: every sandbox on this runtime, stopped (which releases its CNI address) and removed. */
    private static void removeAllSandboxes(Path socket) {
        try (CriRuntime runtime = CriRuntime.connect(CriRuntimeSettings.of(socket))) {
            Duration timeout = Duration.ofMinutes(2);
            var sandboxes = runtime.listPodSandbox(io.quarkube.agent.cri.v1.ListPodSandboxRequest.getDefaultInstance()).await().atMost(timeout).getItemsList();
            for (var sandbox : sandboxes) {
                runtime.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(sandbox.getId()).build()).await().atMost(timeout);
                runtime.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandbox.getId()).build()).await().atMost(timeout);
            }
            System.out.printf("removed %d sandbox(es)%n", sandboxes.size());
        }
    }

    static long rssMegabytes(long pid) throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for pid " + pid);
    }
}
