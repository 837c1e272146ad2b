package io.quarkube.controllers.daemonset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;

class RevisionHistoryTest {

    private static DaemonSet daemonSet(String image) {
        return new DaemonSetBuilder().withNewMetadata().withName("agents").withNamespace("ns").withUid("ds-uid").endMetadata()
                .withNewSpec().withNewTemplate().withNewMetadata().addToLabels("app", "agents").endMetadata()
                .withNewSpec().addNewContainer().withName("agent").withImage(image).endContainer().withTerminationGracePeriodSeconds(30L)
                .endSpec().endTemplate().endSpec().build();
    }

    @Test
    void aRevisionHoldsTheTemplateAsAReplacingPatch() {
        ControllerRevision revision = RevisionHistory.newRevision(daemonSet("agent:v1"), "abc", 1);
        assertEquals("agents-abc", revision.getMetadata().getName());
        assertEquals("abc", RevisionHistory.hashOf(revision));
        assertEquals("agents", revision.getMetadata().getLabels().get("app"));
        assertEquals("replace", RevisionHistory.patchOf(daemonSet("agent:v1")).at("/spec/template/$patch").asText());
        assertTrue(RevisionHistory.holdsTemplate(revision, daemonSet("agent:v1")), "a Long and an int 30 compare equal");
        assertFalse(RevisionHistory.holdsTemplate(revision, daemonSet("agent:v2")));
    }

    private static ControllerRevision numbered(String hash, long number) {
        return RevisionHistory.newRevision(daemonSet("agent:" + hash), hash, number);
    }

    @Test
    void oldRevisionsBeyondTheLimitGoOldestFirstUnlessInUse() {
        List<ControllerRevision> history = List.of(numbered("a", 1), numbered("b", 2), numbered("c", 3), numbered("d", 4));
        ControllerRevision current = history.get(3);
        assertEquals(List.of("agents-a", "agents-b"), names(RevisionHistory.beyondLimit(history, current, Set.of(), 1)));
        assertEquals(List.of("agents-b"), names(RevisionHistory.beyondLimit(history, current, Set.of("a"), 1)),
                "a revision live pods still carry stays");
        assertEquals(List.of(), names(RevisionHistory.beyondLimit(history, current, Set.of(), 10)));
        assertEquals(4, RevisionHistory.maxRevision(history));
    }

    private static List<String> names(List<ControllerRevision> revisions) {
        return revisions.stream().map(r -> r.getMetadata().getName()).toList();
    }
}
