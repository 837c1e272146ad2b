package io.quarkube.registry.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.ControlPlaneSetup;
import io.quarkube.json.Json;
import io.quarkube.testing.ControlPlaneProcess;
import io.quarkube.testing.KubeHttp;
import io.quarkube.testing.KubeHttp.Reply;

/**
 * Two control-plane replicas (separate processes from the packaged application, one PostgreSQL,
 * one Redis) racing for the same cluster IP and the same node port: creates sent to both at once,
 * released together by a latch, and exactly one wins each value; dynamic allocations on both never
 * hand out one value twice. The kubernetes Service's endpoints list both replicas while they run.
 * Runs after packaging (failsafe).
 */
class ServiceAllocationRaceIT {

    private static final int RACERS = 16;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static ControlPlaneSetup storage;
    private static ControlPlaneProcess replicaA;
    private static ControlPlaneProcess replicaB;
    private static KubeHttp http;

    @BeforeAll
    static void startReplicas() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "quarkube-alloc-race-");
        Map<String, String> settings = Map.of("quarkube.data-dir", dataDir.toString(), "quarkube.bind", "127.0.0.1");
        storage = ControlPlaneSetup.prepare(key -> Optional.ofNullable(settings.get(key)));
        replicaA = ControlPlaneProcess.start("replica-a", dataDir, storage.config());
        replicaB = ControlPlaneProcess.start("replica-b", dataDir, storage.config());
        http = new KubeHttp(dataDir);
        ObjectNode namespace = Json.parseObject("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"race\"}}");
        assertEquals(201, http.send("POST", replicaA.url() + "/api/v1/namespaces", namespace).status());
    }

    @AfterAll
    static void stopReplicas() {
        ControlPlaneProcess.stopAll(replicaB, replicaA, storage);
    }

    @Test
    void oneOfManyCreatesOnTwoReplicasGetsARequestedClusterIp() throws Exception {
        for (int round = 0; round < 3; round++) {
            String ip = "10.96.0." + (50 + round);
            String prefix = "ip-" + round + "-";
            List<Integer> codes = race(i -> service(prefix + i, "{\"clusterIP\":\"" + ip + "\",\"ports\":[{\"port\":80}]}"));
            assertEquals(1, codes.stream().filter(c -> c == 201).count(), "one winner for " + ip + " among " + codes);
            assertEquals(RACERS - 1, codes.stream().filter(c -> c == 422).count(), "422 for the others: " + codes);
            assertEquals(200, http.send("GET", replicaB.url() + "/apis/networking.k8s.io/v1/ipaddresses/" + ip, null).status());
        }
    }

    @Test
    void oneOfManyCreatesOnTwoReplicasGetsARequestedNodePort() throws Exception {
        for (int round = 0; round < 3; round++) {
            int port = 30050 + round;
            String prefix = "port-" + round + "-";
            List<Integer> codes = race(i -> service(prefix + i,
                    "{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":" + port + "}]}"));
            assertEquals(1, codes.stream().filter(c -> c == 201).count(), "one winner for " + port + " among " + codes);
            assertEquals(RACERS - 1, codes.stream().filter(c -> c == 422).count(), "422 for the others: " + codes);
        }
    }

    @Test
    void dynamicAllocationsOnTwoReplicasNeverRepeatAValue() throws Exception {
        List<Integer> codes = race(i -> service("any-" + i, "{\"type\":\"NodePort\",\"ports\":[{\"port\":80}]}"));
        assertEquals(List.of(), codes.stream().filter(c -> c != 201).toList());
        Set<String> ips = new HashSet<>();
        Set<Integer> nodePorts = new HashSet<>();
        for (JsonNode service : http.send("GET", replicaA.url() + "/api/v1/namespaces/race/services", null).body().path("items")) {
            if (service.path("metadata").path("name").asText().startsWith("any-")) {
                ips.add(service.path("spec").path("clusterIP").asText());
                nodePorts.add(service.path("spec").path("ports").path(0).path("nodePort").asInt());
            }
        }
        assertEquals(RACERS, ips.size(), "distinct cluster IPs " + ips);
        assertEquals(RACERS, nodePorts.size(), "distinct node ports " + nodePorts);
    }

    @Test
    void theKubernetesServicePointsAtBothReplicas() throws Exception {
        int portA = Integer.parseInt(replicaA.url().replaceAll(".*:", ""));
        int portB = Integer.parseInt(replicaB.url().replaceAll(".*:", ""));
        await(replicaB, "/api/v1/namespaces/default/endpoints/kubernetes", endpoints -> {
            Set<Integer> ports = new HashSet<>();
            endpoints.path("subsets").forEach(subset -> ports.add(subset.path("ports").path(0).path("port").asInt()));
            return ports.equals(Set.of(portA, portB));
        }, "both replicas' ports in the kubernetes Endpoints");
    }

    /** Sends RACERS creates, alternately to each replica, released together; their status codes. */
    private static List<Integer> race(java.util.function.IntFunction<ObjectNode> body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                ControlPlaneProcess replica = i % 2 == 0 ? replicaA : replicaB;
                ObjectNode service = body.apply(i);
                calls.add(() -> {
                    start.await();
                    return http.send("POST", replica.url() + "/api/v1/namespaces/race/services", service).status();
                });
            }
            List<Future<Integer>> futures = new ArrayList<>();
            calls.forEach(call -> futures.add(pool.submit(call)));
            start.countDown();
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> future : futures) {
                codes.add(future.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            }
            return codes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static ObjectNode service(String name, String spec) {
        return Json.parseObject("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":" + spec + "}");
    }

    private static void await(ControlPlaneProcess replica, String path, Predicate<JsonNode> condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            Reply reply = http.send("GET", replica.url() + path, null);
            if (reply.status() == 200) {
                last = reply.body();
                if (condition.test(last)) {
                    return;
                }
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        fail(what + " not seen within " + WAIT + "; last: " + last);
    }
}
