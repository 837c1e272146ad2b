package io.quarkube.scheduler;

import static io.quarkube.scheduler.testing.TestNodes.node;
import static io.quarkube.scheduler.testing.TestPods.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Pod;
import io.quarkube.scheduler.framework.Resources;

class SchedulerCacheTest {

    private static long cpuOn(SchedulerCache cache, String node) {
        return cache.snapshot().get(node).requested().milliCpu();
    }

    @Test
    void anAssumedPodCountsOnItsNodeUntilConfirmedByTheInformer() {
        SchedulerCache cache = new SchedulerCache();
        cache.putNode(node("n1").build());
        Pod pending = pod("p").requests("500m", null).build();
        cache.assume(pending, "n1");
        assertEquals(500, cpuOn(cache, "n1"));
        assertTrue(cache.isPlaced("default/p"));

        cache.putPod(pod("p").requests("500m", null).onNode("n1").build());
        assertEquals(500, cpuOn(cache, "n1"), "the bound pod replaces its assumption, not adds to it");
        cache.forget(pending);
        assertEquals(500, cpuOn(cache, "n1"), "forgetting a confirmed pod keeps it");
    }

    @Test
    void aFailedBindingIsForgotten() {
        SchedulerCache cache = new SchedulerCache();
        cache.putNode(node("n1").build());
        Pod pending = pod("p").requests("500m", null).build();
        cache.assume(pending, "n1");
        cache.forget(pending);
        assertEquals(0, cpuOn(cache, "n1"));
        assertFalse(cache.isPlaced("default/p"));
    }

    @Test
    void podsSeenBeforeTheirNodeCountOnceItArrives() {
        SchedulerCache cache = new SchedulerCache();
        cache.putPod(pod("p").requests("250m", "1Mi").onNode("n1").build());
        cache.putNode(node("n1").build());
        assertEquals(new Resources(250, 1024 * 1024, 0, 1), cache.snapshot().get("n1").requested());
        cache.putNode(node("n1").label("zone", "a").build());
        assertEquals(250, cpuOn(cache, "n1"), "an updated node keeps its pods");
    }

    @Test
    void finishedAndDeletedPodsFreeTheirNode() {
        SchedulerCache cache = new SchedulerCache();
        cache.putNode(node("n1").build());
        cache.putPod(pod("a").requests("100m", null).onNode("n1").build());
        cache.putPod(pod("b").requests("200m", null).onNode("n1").build());
        Pod done = pod("a").requests("100m", null).onNode("n1").build();
        done.getStatus().setPhase("Succeeded");
        cache.putPod(done);
        assertEquals(200, cpuOn(cache, "n1"));
        cache.removePod(pod("b").onNode("n1").build());
        assertEquals(0, cpuOn(cache, "n1"));
    }

    @Test
    void aSnapshotDoesNotChangeWithTheCache() {
        SchedulerCache cache = new SchedulerCache();
        cache.putNode(node("n1").build());
        var snapshot = cache.snapshot();
        cache.assume(pod("p").requests("1", null).build(), "n1");
        assertEquals(0, snapshot.get("n1").requested().milliCpu());
    }

    @Test
    void aSnapshotCopiesOnlyTheNodesChangedSinceThePreviousOne() {
        SchedulerCache cache = new SchedulerCache();
        cache.putNode(node("n1").build());
        cache.putNode(node("n2").build());
        var first = cache.snapshot();
        cache.assume(pod("p").requests("1", null).build(), "n2");
        var second = cache.snapshot();
        assertTrue(first.get("n1") == second.get("n1"), "unchanged node shared");
        assertFalse(first.get("n2") == second.get("n2"), "changed node copied");
        assertEquals(1000, second.get("n2").requested().milliCpu());
        cache.removeNode("n1");
        assertEquals(java.util.List.of("n2"), cache.snapshot().nodes().stream().map(n -> n.name()).toList());
    }

    @Test
    void aSnapshotListsTheNodesRunningPodsWithRequiredAntiAffinity() {
        SchedulerCache cache = new SchedulerCache();
        cache.putNode(node("n1").build());
        cache.putNode(node("n2").build());
        assertTrue(cache.snapshot().havePodsWithRequiredAntiAffinity().isEmpty());
        Pod loner = pod("loner").label("app", "loner").affinity(new io.fabric8.kubernetes.api.model.AffinityBuilder()
                .withNewPodAntiAffinity().addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withTopologyKey("kubernetes.io/hostname").withNewLabelSelector().addToMatchLabels("app", "loner").endLabelSelector()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().build()).build();

        cache.assume(loner, "n2");
        cache.putNode(node("n3").build());

        assertEquals(java.util.List.of("n2"), cache.snapshot().havePodsWithRequiredAntiAffinity().stream().map(n -> n.name()).toList());
        cache.forget(loner);
        assertTrue(cache.snapshot().havePodsWithRequiredAntiAffinity().isEmpty());
    }

    @Test
    void aNodeArrivingAfterASnapshotIsInTheNext() {
        SchedulerCache cache = new SchedulerCache();
        cache.putNode(node("small").allocatable("1", "4Gi", 110).build());
        cache.assume(pod("fits").requests("500m", null).build(), "small");
        cache.snapshot();
        cache.putNode(node("big").allocatable("4", "4Gi", 110).build());
        var snapshot = cache.snapshot();
        assertEquals(java.util.List.of("big", "small"), snapshot.nodes().stream().map(n -> n.name()).toList());
        assertEquals(4000, snapshot.get("big").allocatable().milliCpu());
        assertEquals(0, snapshot.get("big").requested().milliCpu());
        assertEquals(500, snapshot.get("small").requested().milliCpu());
    }
}
