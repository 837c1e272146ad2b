package io.quarkube.agent.pods;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

class PodUpdatesTest {

    private static Pod pod() {
        return new PodBuilder()
                .withNewMetadata().withName("web").withNamespace("default").withUid("u1").withResourceVersion("10")
                .addToLabels("app", "web").addToAnnotations("note", "a").endMetadata()
                .withNewSpec().withNodeName("n1").addNewContainer().withName("app").withImage("busybox:1").endContainer().endSpec()
                .withNewStatus().withPhase("Pending").endStatus()
                .build();
    }

    static Stream<Arguments> updates() {
        return Stream.of(
                Arguments.argumentSet("informer resync (same resourceVersion)", (UnaryOperator<PodBuilder>) b -> b, true),
                Arguments.argumentSet("status only", (UnaryOperator<PodBuilder>) b -> b
                        .editMetadata().withResourceVersion("11").endMetadata().editStatus().withPhase("Running").endStatus(), false),
                Arguments.argumentSet("managed fields and finalizers only", (UnaryOperator<PodBuilder>) b -> b
                        .editMetadata().withResourceVersion("11").addToFinalizers("example.com/keep").endMetadata(), false),
                Arguments.argumentSet("spec changed", (UnaryOperator<PodBuilder>) b -> b
                        .editMetadata().withResourceVersion("11").endMetadata().editSpec().withActiveDeadlineSeconds(30L).endSpec(), true),
                Arguments.argumentSet("label changed", (UnaryOperator<PodBuilder>) b -> b
                        .editMetadata().withResourceVersion("11").addToLabels("tier", "front").endMetadata(), true),
                Arguments.argumentSet("annotation changed", (UnaryOperator<PodBuilder>) b -> b
                        .editMetadata().withResourceVersion("11").addToAnnotations("note", "b").endMetadata(), true),
                Arguments.argumentSet("deletion requested", (UnaryOperator<PodBuilder>) b -> b
                        .editMetadata().withResourceVersion("11").withDeletionTimestamp("2026-01-01T10:00:00Z")
                        .withDeletionGracePeriodSeconds(30L).endMetadata(), true),
                Arguments.argumentSet("grace period shortened", (UnaryOperator<PodBuilder>) b -> b
                        .editMetadata().withResourceVersion("11").withDeletionGracePeriodSeconds(0L).endMetadata(), true),
                Arguments.argumentSet("replaced by a pod of the same name", (UnaryOperator<PodBuilder>) b -> b
                        .editMetadata().withResourceVersion("11").withUid("u2").endMetadata(), true));
    }

    @ParameterizedTest
    @MethodSource("updates")
    void tellsSyncWorthyUpdatesFromStatusOnlyOnes(UnaryOperator<PodBuilder> change, boolean needsSync) {
        Pod before = pod();
        Pod now = change.apply(new PodBuilder(pod())).build();

        assertEquals(needsSync, PodUpdates.needsSync(before, now));
    }
}
