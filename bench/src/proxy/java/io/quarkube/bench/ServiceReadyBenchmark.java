package io.quarkube.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

/**
 * Pod Ready → traffic through its Service's ClusterIP reaching it. One ClusterIP Service; per sample one new pod
 * (busybox httpd answering its own name) behind it, alone: t0 is the watch event that shows its Ready condition True,
 * t1 the first HTTP answer from that pod through the ClusterIP, asked from this host every millisecond from the pod's
 * creation on (before any endpoint the proxy rejects at once). The path between: the agent's status write, the
 * EndpointSlice controller (its batch period), the agent's informer and the proxy's sync (its minimum interval).
 */
public final class ServiceReadyBenchmark {

    public static void main(String[] argv) {
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
        int samples = args.getInt("samples", 20);
        String node = args.get("node");
        String image = args.get("image");
        String ns = "svc-ready";
        Config config = Config.fromKubeconfig(Files.readString(Path.of(args.get("kubeconfig"))));
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
            String clusterIp = client.services().inNamespace(ns).resource(new ServiceBuilder().withNewMetadata().withName("target").endMetadata()
                    .withNewSpec().addToSelector("app", "target")
                    .addNewPort().withName("http").withPort(80).withNewTargetPort(8080).withProtocol("TCP").endPort()
                    .endSpec().build()).create().getSpec().getClusterIP();
            System.out.printf("service target at %s:80%n", clusterIp);
            Latencies latencies = new Latencies();
            for (int i = 0; i < samples; i++) {
                String name = "target-" + i;
                CompletableFuture<Long> readyAt = new CompletableFuture<>();
                try (Watch ignored = client.pods().inNamespace(ns).withName(name).watch(new Watcher<Pod>() {
                    @Override
                    public void eventReceived(Action action, Pod pod) {
                        if (ready(pod)) {
                            readyAt.complete(System.nanoTime());
                        }
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                        readyAt.completeExceptionally(cause);
                    }
                })) {
                    client.pods().inNamespace(ns).resource(pod(name, node, image)).create();
                    long reachedAt = firstAnswerFrom(clusterIp, name, System.nanoTime() + TimeUnit.SECONDS.toNanos(120));
                    long ready = readyAt.get(10, TimeUnit.SECONDS);
                    latencies.record(reachedAt - ready);
                    System.out.printf("sample %2d: Ready → answered through the ClusterIP %.1f ms%n", i, (reachedAt - ready) / 1e6);
                }
                client.pods().inNamespace(ns).withName(name).withGracePeriod(0).delete();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (client.pods().inNamespace(ns).withName(name).get() != null || answer(clusterIp) != null) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(name + " still there or still answering after 60 s");
                    }
                    Thread.sleep(50);
                }
            }
            System.out.println("pod Ready → traffic through the ClusterIP reaching it: " + latencies.summary());
            client.namespaces().withName(ns).delete();
        }
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    /** Asks every millisecond until the answer names the pod; the time it came. */
    private static long firstAnswerFrom(String clusterIp, String name, long deadline) throws InterruptedException {
        while (System.nanoTime() < deadline) {
            String body = answer(clusterIp);
            if (name.equals(body)) {
                return System.nanoTime();
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException(name + " did not answer through " + clusterIp + " within 120 s");
    }

    /** The body of an HTTP/1.0 GET to ip:80, or null when the connection fails. */
    private static String answer(String ip) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(ip, 80), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int body = response.indexOf("\r\n\r\n");
            return body < 0 ? "" : response.substring(body + 4).strip();
        } catch (IOException e) {
            return null;
        }
    }

    private static Pod pod(String name, String node, String image) {
        return new PodBuilder().withNewMetadata().withName(name).addToLabels("app", "target").endMetadata()
                .withNewSpec().withNodeName(node).withTerminationGracePeriodSeconds(0L)
                .addNewContainer().withName("httpd").withImage(image).withImagePullPolicy("IfNotPresent")
                // Ready a moment after start, through the readiness probe, as a server that warms up first.
                .withCommand("sh", "-c", "mkdir -p /www; hostname > /www/index.html; (sleep 1; touch /tmp/ready) & "
                        + "exec httpd -f -p 8080 -h /www")
                .addNewPort().withName("http").withContainerPort(8080).endPort()
                .withNewReadinessProbe().withNewExec().withCommand("cat", "/tmp/ready").endExec()
                .withPeriodSeconds(1).withFailureThreshold(1).endReadinessProbe()
                .endContainer().endSpec().build();
    }
}
