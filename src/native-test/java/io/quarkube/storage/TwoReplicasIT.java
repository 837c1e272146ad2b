package io.quarkube.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.ControlPlaneSetup;
import io.quarkube.json.Json;
import io.quarkube.storage.WatchEventStream.Received;
import io.quarkube.testing.ControlPlaneProcess;
import io.quarkube.testing.KubeHttp;
import io.quarkube.testing.KubeHttp.Reply;

/**
 * Two control-plane replicas, each a separate process from the packaged application, sharing one
 * PostgreSQL and one Redis: concurrent writes on both reach every watcher on both exactly once, in
 * revision order, with no revision missing. Runs after packaging (failsafe).
 */
class TwoReplicasIT {

    private static final int WRITERS_PER_REPLICA = 4;
    private static final int WRITES_PER_WRITER = 200;
    private static final String NAMESPACE = "replicas";
    private static final String CONFIGMAPS = "/api/v1/namespaces/" + NAMESPACE + "/configmaps";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static ControlPlaneSetup storage;
    private static ControlPlaneProcess replicaA;
    private static ControlPlaneProcess replicaB;
    private static KubeHttp http;

    @BeforeAll
    static void startReplicas() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "quarkube-replicas-");
        Map<String, String> settings = Map.of("quarkube.data-dir", dataDir.toString(), "quarkube.bind", "127.0.0.1");
        storage = ControlPlaneSetup.prepare(key -> Optional.ofNullable(settings.get(key)));
        // one after the other: each rewrites the admin credentials in the shared data directory at start-up
        replicaA = ControlPlaneProcess.start("replica-a", dataDir, storage.config());
        replicaB = ControlPlaneProcess.start("replica-b", dataDir, storage.config());
        http = new KubeHttp(dataDir);
        ObjectNode namespace = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
        namespace.putObject("metadata").put("name", NAMESPACE);
        assertEquals(201, http.send("POST", replicaA.url() + "/api/v1/namespaces", namespace).status());
    }

    @AfterAll
    static void stopReplicas() {
        ControlPlaneProcess.stopAll(replicaB, replicaA, storage);
    }

    @Test
    void concurrentWritesOnBothReplicasReachEveryWatcherExactlyOnceInOrder() throws Exception {
        long listedOnA = http.send("GET", replicaA.url() + CONFIGMAPS, null).resourceVersion();
        long listedOnB = http.send("GET", replicaB.url() + CONFIGMAPS, null).resourceVersion();
        try (WatchEventStream onA = watch(replicaA, listedOnA); WatchEventStream onB = watch(replicaB, listedOnB)) {
            List<Long> committed = writeConcurrently();
            long last = committed.get(committed.size() - 1);

            assertEquals(committed, revisions(onA.receivedThrough(last, WAIT)), "watcher on replica A");
            List<Received> seenOnB = onB.receivedThrough(last, WAIT);
            assertEquals(committed, revisions(seenOnB), "watcher on replica B");
            assertTrue(seenOnB.stream().anyMatch(received -> received.name().startsWith("a-")),
                    "replica B's watcher sees writes made through replica A");

            long middle = committed.get(committed.size() / 2);
            List<Long> afterMiddle = committed.subList(committed.size() / 2 + 1, committed.size());
            for (ControlPlaneProcess replica : List.of(replicaA, replicaB)) {
                try (WatchEventStream resumed = watch(replica, middle)) {
                    assertEquals(afterMiddle, revisions(resumed.receivedThrough(last, WAIT)), "resumed on " + replica.url());
                }
            }
        }
    }

    /** Runs every writer on both replicas at once; returns all committed revisions, ascending. */
    private static List<Long> writeConcurrently() throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(2 * WRITERS_PER_REPLICA);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int w = 0; w < WRITERS_PER_REPLICA; w++) {
                String suffix = Integer.toString(w);
                results.add(writers.submit(() -> writeOneObject(replicaA, "a-" + suffix)));
                results.add(writers.submit(() -> writeOneObject(replicaB, "b-" + suffix)));
            }
            TreeSet<Long> committed = new TreeSet<>();
            int writes = 0;
            for (Future<List<Long>> result : results) {
                List<Long> revisions = result.get(2, TimeUnit.MINUTES);
                committed.addAll(revisions);
                writes += revisions.size();
            }
            assertEquals(writes, committed.size(), "every write committed a revision of its own");
            return List.copyOf(committed);
        } finally {
            writers.shutdownNow();
        }
    }

    /**
     * Creates one ConfigMap and updates it for the rest of the writer's budget. (A ConfigMap's
     * DELETE answers with a Status, which carries no revision to compare the watches with.)
     */
    private static List<Long> writeOneObject(ControlPlaneProcess replica, String name) {
        List<Long> revisions = new ArrayList<>();
        ObjectNode configMap = Json.object().put("apiVersion", "v1").put("kind", "ConfigMap");
        configMap.putObject("metadata").put("name", name);
        Reply current = expect(201, http.send("POST", replica.url() + CONFIGMAPS, configMap));
        revisions.add(current.resourceVersion());
        for (int i = 1; i < WRITES_PER_WRITER; i++) {
            ObjectNode next = current.body().deepCopy();
            Json.with(next, "data").put("count", Integer.toString(i));
            current = expect(200, http.send("PUT", replica.url() + CONFIGMAPS + "/" + name, next));
            revisions.add(current.resourceVersion());
        }
        return revisions;
    }

    private static Reply expect(int status, Reply reply) {
        assertEquals(status, reply.status(), reply.body().toString());
        return reply;
    }

    private static WatchEventStream watch(ControlPlaneProcess replica, long from) {
        return WatchEventStream.open(http, replica.url() + CONFIGMAPS + "?watch=true&timeoutSeconds=180&resourceVersion=" + from);
    }

    private static List<Long> revisions(List<Received> received) {
        return received.stream().map(Received::revision).toList();
    }
}
