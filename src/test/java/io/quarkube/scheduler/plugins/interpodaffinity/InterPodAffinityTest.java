package io.quarkube.scheduler.plugins.interpodaffinity;

import static io.quarkube.scheduler.testing.TestNodes.node;
import static io.quarkube.scheduler.testing.TestPods.pod;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.quarkube.scheduler.framework.CycleState;
import io.quarkube.scheduler.framework.NodeInfo;
import io.quarkube.scheduler.framework.Snapshot;
import io.quarkube.scheduler.framework.Status;

class InterPodAffinityTest {

    private static PodAffinityTerm term(String app, String key) {
        return new PodAffinityTermBuilder().withLabelSelector(new LabelSelector(null, Map.of("app", app))).withTopologyKey(key).build();
    }

    private static Affinity affinity(PodAffinityTerm term) {
        return new AffinityBuilder().withNewPodAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(term).endPodAffinity().build();
    }

    private static Affinity antiAffinity(PodAffinityTerm term) {
        return new AffinityBuilder().withNewPodAntiAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(term)
                .endPodAntiAffinity().build();
    }

    /** Zone a: n1 runs a cache pod, n2 nothing; zone b: n3 runs a lonely pod refusing web pods on its host. */
    private static Snapshot cluster() {
        return Snapshot.of(
                NodeInfo.of(node("n1").label("zone", "a").build(), pod("cache").label("app", "cache").onNode("n1").build()),
                NodeInfo.of(node("n2").label("zone", "a").build()),
                NodeInfo.of(node("n3").label("zone", "b").build(), pod("lonely").label("app", "lonely")
                        .affinity(antiAffinity(term("web", "kubernetes.io/hostname"))).onNode("n3").build()));
    }

    static Stream<Arguments> cases() {
        Pod nearCacheHost = pod("p").affinity(affinity(term("cache", "kubernetes.io/hostname"))).build();
        Pod nearCacheZone = pod("p").affinity(affinity(term("cache", "zone"))).build();
        Pod awayFromCacheZone = pod("p").affinity(antiAffinity(term("cache", "zone"))).build();
        Pod web = pod("p").label("app", "web").build();
        Pod firstOfGroup = pod("p").label("app", "db").affinity(affinity(term("db", "zone"))).build();
        Status affinityMiss = Status.unschedulable("node(s) didn't match pod affinity rules");
        Status antiMiss = Status.unschedulable("node(s) didn't match pod anti-affinity rules");
        return Stream.of(
                argumentSet("affinity by host: the cache's node", nearCacheHost, "n1", Status.success()),
                argumentSet("affinity by host: another node", nearCacheHost, "n2", affinityMiss),
                argumentSet("affinity by zone: a node in the cache's zone", nearCacheZone, "n2", Status.success()),
                argumentSet("affinity by zone: another zone", nearCacheZone, "n3", affinityMiss),
                argumentSet("anti-affinity by zone: the cache's zone", awayFromCacheZone, "n2", antiMiss),
                argumentSet("anti-affinity by zone: another zone", awayFromCacheZone, "n3", Status.success()),
                argumentSet("an existing pod's anti-affinity keeps web pods off its node", web, "n3",
                        Status.unschedulable("node(s) didn't satisfy existing pods anti-affinity rules")),
                argumentSet("an existing pod's anti-affinity allows other nodes", web, "n2", Status.success()),
                argumentSet("the first pod of a group matching its own affinity goes anywhere", firstOfGroup, "n3", Status.success()),
                argumentSet("a pod in another namespace does not count",
                        pod("p").namespace("other").affinity(affinity(term("cache", "kubernetes.io/hostname"))).build(), "n1",
                        affinityMiss));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void filter(Pod pod, String node, Status expected) {
        InterPodAffinity plugin = new InterPodAffinity();
        CycleState state = new CycleState();
        Snapshot snapshot = cluster();
        plugin.preFilter(state, pod, snapshot);
        assertEquals(expected, plugin.filter(state, pod, snapshot.get(node)));
    }

    @Test
    void preferredAffinityAndAntiAffinityScore() {
        Affinity preferences = new AffinityBuilder()
                .withNewPodAffinity().withPreferredDuringSchedulingIgnoredDuringExecution(
                        new WeightedPodAffinityTerm(term("cache", "zone"), 10)).endPodAffinity()
                .withNewPodAntiAffinity().withPreferredDuringSchedulingIgnoredDuringExecution(
                        new WeightedPodAffinityTerm(term("cache", "kubernetes.io/hostname"), 5)).endPodAntiAffinity()
                .build();
        Pod pod = pod("p").affinity(preferences).build();
        InterPodAffinity plugin = new InterPodAffinity();
        CycleState state = new CycleState();
        Snapshot snapshot = cluster();
        plugin.preScore(state, pod, snapshot.nodes(), snapshot);
        long[] scores = snapshot.nodes().stream().mapToLong(node -> plugin.score(state, pod, node)).toArray();
        // n1: same zone +10, same host -5; n2: same zone +10; n3: nothing
        assertArrayEquals(new long[] { 5, 10, 0 }, scores);
        plugin.normalize(state, pod, scores);
        assertArrayEquals(new long[] { 50, 100, 0 }, scores);
    }

    @Test
    void aPodWithoutPreferencesIsNotScored() {
        assertEquals(Status.skip(), new InterPodAffinity().preScore(new CycleState(), pod("p").build(), List.of(), cluster()));
    }

    @Test
    void aPodWithoutTermsOnANodeWithoutAntiAffinityIsNotFiltered() {
        Snapshot plain = Snapshot.of(NodeInfo.of(node("n1").build(), pod("cache").label("app", "cache").onNode("n1").build()));
        assertEquals(Status.skip(), new InterPodAffinity().preFilter(new CycleState(), pod("p").build(), plain));
    }
}
