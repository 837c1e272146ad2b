package io.quarkube.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.quarkube.registry.GenericStore.Part;
import io.quarkube.registry.StatusException;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The in-process client: typed objects through the resource service, with its concurrency rules. */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class ApiClientTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @Inject
    ApiClient api;

    private ConfigMap configMap(String name) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace("default").withName(name).endMetadata()
                .addToData("k", "v").build();
    }

    @Test
    void anUpdateFromAStaleReadIsAConflict() {
        api.create(configMap("stale-read")).await().atMost(DEADLINE);
        ConfigMap read = api.get(ConfigMap.class, "default", "stale-read").await().atMost(DEADLINE);
        api.modify(ConfigMap.class, "default", "stale-read", Part.MAIN, current -> {
            current.getData().put("k", "changed meanwhile");
            return current;
        }).await().atMost(DEADLINE);

        read.getData().put("k", "from the stale read");
        StatusException conflict = assertThrows(StatusException.class, () -> api.update(read).await().atMost(DEADLINE));
        assertEquals(409, conflict.code());
        assertEquals("changed meanwhile", api.get(ConfigMap.class, "default", "stale-read").await().atMost(DEADLINE).getData().get("k"));
    }

    /** Read-modify-write cycles racing on one object: every successful update must count (no lost update). */
    @Test
    void concurrentReadModifyWriteCyclesLoseNoUpdate() {
        api.create(configMap("counter")).await().atMost(DEADLINE);
        java.util.concurrent.atomic.AtomicInteger successes = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger conflicts = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<io.smallrye.mutiny.Uni<Void>> writers = new java.util.ArrayList<>();
        for (int w = 0; w < 8; w++) {
            writers.add(io.smallrye.mutiny.Multi.createFrom().range(0, 40).onItem().transformToUniAndConcatenate(i ->
                    api.get(ConfigMap.class, "default", "counter").flatMap(read -> {
                        int count = Integer.parseInt(read.getData().getOrDefault("count", "0"));
                        read.getData().put("count", Integer.toString(count + 1));
                        return api.update(read);
                    }).invoke(ignored -> successes.incrementAndGet())
                            .onFailure(ApiClient::isConflict).recoverWithItem(() -> {
                                conflicts.incrementAndGet();
                                return null;
                            })).collect().last().replaceWithVoid());
        }
        io.smallrye.mutiny.Uni.join().all(writers).andFailFast().await().atMost(Duration.ofSeconds(60));
        ConfigMap last = api.get(ConfigMap.class, "default", "counter").await().atMost(DEADLINE);
        assertEquals(successes.get(), Integer.parseInt(last.getData().get("count")),
                "successes " + successes + ", conflicts " + conflicts);
        assertTrue(conflicts.get() > 0, "the writers did race");
    }

    /**
     * A typed round trip writes back what it read: a pod (whose defaulted spec holds Long fields
     * such as terminationGracePeriodSeconds and tolerationSeconds) takes a label change, which
     * pod immutability would refuse if the spec came back different.
     */
    @Test
    void aTypedRoundTripChangesOnlyWhatTheCallerChanged() {
        io.fabric8.kubernetes.api.model.Pod pod = new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withNamespace("default").withName("round-trip").endMetadata().withNewSpec().addNewContainer()
                .withName("c").withImage("busybox").endContainer().endSpec().build();
        api.create(pod).await().atMost(DEADLINE);
        io.fabric8.kubernetes.api.model.Pod labelled = api.modify(io.fabric8.kubernetes.api.model.Pod.class, "default", "round-trip",
                Part.MAIN, current -> {
                    current.getMetadata().getLabels().put("touched", "yes");
                    return current;
                }).await().atMost(DEADLINE);
        assertEquals("yes", labelled.getMetadata().getLabels().get("touched"));
        assertEquals(30L, labelled.getSpec().getTerminationGracePeriodSeconds());
    }

    @Test
    void getOfAMissingObjectIsNullAndDeleteSaysWhetherItExisted() {
        assertNull(api.get(ConfigMap.class, "default", "never-created").await().atMost(DEADLINE));
        api.create(configMap("to-delete")).await().atMost(DEADLINE);
        assertTrue(api.delete(ConfigMap.class, "default", "to-delete", io.quarkube.registry.DeleteOptions.DEFAULT).await().atMost(DEADLINE));
        assertEquals(false, api.delete(ConfigMap.class, "default", "to-delete", io.quarkube.registry.DeleteOptions.DEFAULT).await().atMost(DEADLINE));
    }
}
