package io.quarkube.controllers.endpointslice;

import static io.quarkube.controllers.endpoints.TestBackends.pod;
import static io.quarkube.controllers.endpoints.TestBackends.ready;
import static io.quarkube.controllers.endpoints.TestBackends.service;
import static io.quarkube.controllers.endpoints.TestBackends.web;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

class SlicePlannerTest {

    private static List<Pod> readyPods(int count) {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pods.add(ready("p" + i, "10.0." + (i / 250) + "." + (i % 250 + 1)));
        }
        return pods;
    }

    /** The plan's slices as stored: creates get names s0, s1, ... */
    private static List<EndpointSlice> applied(SlicePlanner.Plan plan, List<EndpointSlice> before) {
        List<EndpointSlice> after = new ArrayList<>(before);
        after.removeIf(s -> plan.deletes().stream().anyMatch(d -> d.getMetadata().getName().equals(s.getMetadata().getName())));
        for (EndpointSlice updated : plan.updates()) {
            after.replaceAll(s -> s.getMetadata().getName().equals(updated.getMetadata().getName()) ? updated : s);
        }
        int n = before.size();
        for (EndpointSlice created : plan.creates()) {
            created.getMetadata().setName("s" + n++);
            after.add(created);
        }
        return after;
    }

    static Stream<Arguments> sizes() {
        return Stream.of(
                argumentSet("no pods: one placeholder", 0, List.of(0)),
                argumentSet("a few pods: one slice", 3, List.of(3)),
                argumentSet("exactly the maximum", 100, List.of(100)),
                argumentSet("one more than the maximum", 101, List.of(100, 1)),
                argumentSet("205 pods", 205, List.of(100, 100, 5)));
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void slicesHoldAtMostTheMaximum(int pods, List<Integer> expected) {
        SlicePlanner.Plan plan = SlicePlanner.plan(web(), readyPods(pods), List.of(), 100);
        assertEquals(expected, plan.creates().stream().map(s -> s.getEndpoints().size()).toList());
    }

    @Test
    void slicesCarryTheLabelsOwnerAndPorts() {
        Service service = service().editMetadata().addToLabels("team", "blue").endMetadata().build();
        EndpointSlice slice = SlicePlanner.plan(service, readyPods(1), List.of(), 100).creates().get(0);
        assertEquals(Map.of("team", "blue", "kubernetes.io/service-name", "web",
                "endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io"), slice.getMetadata().getLabels());
        assertEquals("web-", slice.getMetadata().getGenerateName());
        assertEquals("IPv4", slice.getAddressType());
        assertEquals(List.of("Service", "web", "svc-uid", true), List.of(slice.getMetadata().getOwnerReferences().get(0).getKind(),
                slice.getMetadata().getOwnerReferences().get(0).getName(), slice.getMetadata().getOwnerReferences().get(0).getUid(),
                slice.getMetadata().getOwnerReferences().get(0).getController()));
        assertEquals("http", slice.getPorts().get(0).getName());
        assertEquals(8080, slice.getPorts().get(0).getPort());
    }

    static Stream<Arguments> conditions() {
        Pod terminating = pod("a", "10.0.0.1", true, 8080).editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata().build();
        Service publishing = service().editSpec().withPublishNotReadyAddresses(true).endSpec().build();
        return Stream.of(
                argumentSet("ready", web(), ready("a", "10.0.0.1"), new EndpointConditions(true, true, false)),
                argumentSet("not ready", web(), pod("a", "10.0.0.1", false, 8080).build(), new EndpointConditions(false, false, false)),
                argumentSet("terminating, still serving", web(), terminating, new EndpointConditions(false, true, true)),
                argumentSet("not ready but published", publishing, pod("a", "10.0.0.1", false, 8080).build(),
                        new EndpointConditions(true, false, false)));
    }

    @ParameterizedTest
    @MethodSource("conditions")
    void endpointConditions(Service service, Pod pod, EndpointConditions expected) {
        Endpoint endpoint = SlicePlanner.plan(service, List.of(pod), List.of(), 100).creates().get(0).getEndpoints().get(0);
        assertEquals(expected, endpoint.getConditions());
    }

    @Test
    void podsResolvingTheNamedPortDifferentlyGoToDifferentSlices() {
        List<Pod> pods = List.of(ready("a", "10.0.0.1"), pod("b", "10.0.0.2", true, 9090).build());
        List<EndpointSlice> slices = SlicePlanner.plan(web(), pods, List.of(), 100).creates();
        assertEquals(List.of(8080, 9090), slices.stream().map(s -> s.getPorts().get(0).getPort()).toList());
    }

    @Test
    void anUnchangedServiceNeedsNoWrites() {
        List<EndpointSlice> stored = applied(SlicePlanner.plan(web(), readyPods(150), List.of(), 100), List.of());
        assertTrue(SlicePlanner.plan(web(), readyPods(150), stored, 100).isEmpty());
    }

    @Test
    void aNewPodFillsTheSliceWithRoomAndOthersStayWhereTheyAre() {
        List<EndpointSlice> stored = applied(SlicePlanner.plan(web(), readyPods(150), List.of(), 100), List.of());
        SlicePlanner.Plan plan = SlicePlanner.plan(web(), readyPods(151), stored, 100);
        assertEquals(0, plan.creates().size());
        assertEquals(0, plan.deletes().size());
        assertEquals(1, plan.updates().size(), "only the slice with room changes");
        assertEquals(51, plan.updates().get(0).getEndpoints().size());
    }

    @Test
    void aReadinessChangeRewritesOnlyItsSlice() {
        List<Pod> pods = readyPods(150);
        List<EndpointSlice> stored = applied(SlicePlanner.plan(web(), pods, List.of(), 100), List.of());
        pods.set(120, pod("p120", "10.0.0.121", false, 8080).build());
        SlicePlanner.Plan plan = SlicePlanner.plan(web(), pods, stored, 100);
        assertEquals(1, plan.updates().size());
        assertTrue(plan.creates().isEmpty() && plan.deletes().isEmpty());
    }

    @Test
    void anEmptiedSliceIsDeletedAndTheLastOneBecomesAPlaceholder() {
        List<EndpointSlice> stored = applied(SlicePlanner.plan(web(), readyPods(150), List.of(), 100), List.of());
        SlicePlanner.Plan fewer = SlicePlanner.plan(web(), readyPods(150).subList(0, 100), stored, 100);
        assertEquals(1, fewer.deletes().size());

        SlicePlanner.Plan none = SlicePlanner.plan(web(), List.of(), stored, 100);
        assertEquals(2, none.deletes().size());
        assertEquals(1, none.creates().size());
        assertTrue(none.creates().get(0).getEndpoints().isEmpty());
    }
}
