package io.quarkube.agent.pods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.quarkube.agent.cri.v1.ContainerState;

class PodStatusesTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private static final long STARTED = 1_767_261_000L * 1_000_000_000L;
    private static final ObservedPod.Sandbox SANDBOX = new ObservedPod.Sandbox("sb", true, "10.88.0.5", 0);

    static Stream<Arguments> phases() {
        return Stream.of(
                Arguments.argumentSet("nothing started yet", "Always", List.of(), Map.of(), "Pending"),
                Arguments.argumentSet("running", "Always", List.of(running("app", 0)), Map.of(), "Running"),
                Arguments.argumentSet("exited 0 under Never", "Never", List.of(exited("app", 0, 0)), Map.of(), "Succeeded"),
                Arguments.argumentSet("exited 1 under Never", "Never", List.of(exited("app", 0, 1)), Map.of(), "Failed"),
                Arguments.argumentSet("exited 0 under OnFailure", "OnFailure", List.of(exited("app", 0, 0)), Map.of(), "Succeeded"),
                Arguments.argumentSet("exited 1 under OnFailure (restarts)", "OnFailure", List.of(exited("app", 0, 1)), Map.of(), "Running"),
                Arguments.argumentSet("exited 0 under Always (restarts)", "Always", List.of(exited("app", 0, 0)), Map.of(), "Running"),
                Arguments.argumentSet("crash loop is Running", "Always", List.of(exited("app", 2, 1)),
                        Map.of("app", new PodStatuses.Waiting("CrashLoopBackOff", "back-off")), "Running"),
                Arguments.argumentSet("image pull failing is Pending", "Always", List.of(),
                        Map.of("app", new PodStatuses.Waiting("ErrImagePull", "no")), "Pending"));
    }

    @ParameterizedTest
    @MethodSource("phases")
    void phaseFollowsTheKubelet(String restartPolicy, List<ObservedPod.Instance> instances,
            Map<String, PodStatuses.Waiting> waiting, String phase) {
        Pod pod = pod(restartPolicy, List.of());

        PodStatus status = PodStatuses.status(pod, inputs(instances, waiting));

        assertEquals(phase, status.getPhase());
    }

    @Test
    void runningPodIsReadyWithAllConditionsAndAddresses() {
        PodStatus status = PodStatuses.status(pod("Always", List.of()), inputs(List.of(running("app", 0)), Map.of()));

        assertEquals("10.88.0.5", status.getPodIP());
        assertEquals("192.168.1.9", status.getHostIP());
        assertEquals("2026-01-01T10:00:00Z", status.getStartTime());
        assertEquals(List.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"),
                status.getConditions().stream().map(PodCondition::getType).toList());
        status.getConditions().forEach(c -> assertEquals("True", c.getStatus(), c.getType()));
        ContainerStatus app = status.getContainerStatuses().get(0);
        assertEquals("containerd://app-0", app.getContainerID());
        assertEquals("sha256:abc", app.getImageID());
        assertEquals(true, app.getReady());
        assertEquals(true, app.getStarted());
    }

    @Test
    void crashLoopShowsWaitingWithTheLastTerminationAndRestartCount() {
        PodStatus status = PodStatuses.status(pod("Always", List.of()), inputs(
                List.of(exited("app", 1, 1), exited("app", 2, 1)),
                Map.of("app", new PodStatuses.Waiting("CrashLoopBackOff", "back-off 20s restarting failed container=app"))));

        ContainerStatus app = status.getContainerStatuses().get(0);
        assertEquals("CrashLoopBackOff", app.getState().getWaiting().getReason());
        assertEquals(2, app.getRestartCount());
        assertEquals("containerd://app-2", app.getLastState().getTerminated().getContainerID());
        assertEquals(false, app.getReady());
        PodCondition ready = status.getConditions().stream().filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
        assertEquals("ContainersNotReady", ready.getReason());
        assertEquals("containers with unready status: [app]", ready.getMessage());
    }

    @Test
    void restartedContainerRunsWithThePreviousRunAsLastState() {
        PodStatus status = PodStatuses.status(pod("Always", List.of()), inputs(List.of(exited("app", 0, 137), running("app", 1)), Map.of()));

        ContainerStatus app = status.getContainerStatuses().get(0);
        assertEquals(1, app.getRestartCount());
        assertEquals(137, app.getLastState().getTerminated().getExitCode());
        assertEquals("Error", app.getLastState().getTerminated().getReason());
    }

    @Test
    void initContainersGateInitializedAndAppContainersWaitWithPodInitializing() {
        Pod pod = pod("Always", List.of("setup", "migrate"));

        PodStatus status = PodStatuses.status(pod, inputs(List.of(exited("setup", 0, 0), running("migrate", 0)), Map.of()));

        assertEquals("Pending", status.getPhase());
        PodCondition initialized = status.getConditions().stream().filter(c -> c.getType().equals("Initialized")).findFirst().orElseThrow();
        assertEquals("False", initialized.getStatus());
        assertEquals("containers with incomplete status: [migrate]", initialized.getMessage());
        assertEquals(true, status.getInitContainerStatuses().get(0).getReady());
        assertEquals("PodInitializing", status.getContainerStatuses().get(0).getState().getWaiting().getReason());
    }

    @Test
    void failedInitContainerUnderNeverFailsThePod() {
        PodStatus status = PodStatuses.status(pod("Never", List.of("setup")), inputs(List.of(exited("setup", 0, 2)), Map.of()));

        assertEquals("Failed", status.getPhase());
    }

    @Test
    void unchangedConditionKeepsItsTransitionTimeAndTerminalPhaseStays() {
        Pod pod = pod("Always", List.of());
        PodCondition earlier = new PodConditionBuilder().withType("Ready").withStatus("True").withLastTransitionTime("2025-12-31T00:00:00Z").build();
        pod.setStatus(new PodStatus());
        pod.getStatus().setConditions(new ArrayList<>(List.of(earlier)));

        PodStatus status = PodStatuses.status(pod, inputs(List.of(running("app", 0)), Map.of()));

        assertEquals("2025-12-31T00:00:00Z", status.getConditions().stream().filter(c -> c.getType().equals("Ready"))
                .findFirst().orElseThrow().getLastTransitionTime());
        pod.getStatus().setPhase("Succeeded");
        assertEquals("Succeeded", PodStatuses.status(pod, inputs(List.of(running("app", 0)), Map.of())).getPhase());
    }

    @Test
    void hostNetworkPodHasTheHostsAddress() {
        Pod pod = pod("Always", List.of());
        pod.getSpec().setHostNetwork(true);

        assertEquals("192.168.1.9", PodStatuses.status(pod, inputs(List.of(running("app", 0)), Map.of())).getPodIP());
    }

    @Test
    void podWithoutSandboxHasNoAddressYet() {
        PodStatus status = PodStatuses.status(pod("Always", List.of()),
                new PodStatuses.Inputs(ObservedPod.none(), Map.of(), Map.of(), Map.of(), "192.168.1.9", "containerd", NOW));

        assertNull(status.getPodIP());
        assertEquals("ContainerCreating", status.getContainerStatuses().get(0).getState().getWaiting().getReason());
    }

    private static PodStatuses.Inputs inputs(List<ObservedPod.Instance> instances, Map<String, PodStatuses.Waiting> waiting) {
        return new PodStatuses.Inputs(new ObservedPod(Optional.of(SANDBOX), instances), waiting, Map.of(), Map.of(), "192.168.1.9", "containerd", NOW);
    }

    private static ObservedPod.Instance running(String name, int attempt) {
        return new ObservedPod.Instance(name, name + "-" + attempt, attempt, ContainerState.CONTAINER_RUNNING,
                STARTED, STARTED, 0, 0, "", "", "sha256:abc");
    }

    private static ObservedPod.Instance exited(String name, int attempt, int exitCode) {
        return new ObservedPod.Instance(name, name + "-" + attempt, attempt, ContainerState.CONTAINER_EXITED,
                STARTED, STARTED, STARTED + 5_000_000_000L, exitCode, "", "", "sha256:abc");
    }

    private static Pod pod(String restartPolicy, List<String> initContainers) {
        PodBuilder pod = new PodBuilder()
                .withNewMetadata().withName("p").withNamespace("ns").withUid("uid-1").endMetadata()
                .withNewSpec().withRestartPolicy(restartPolicy)
                .addNewContainer().withName("app").withImage("busybox:1.36").endContainer()
                .endSpec();
        for (String init : initContainers) {
            pod.editSpec().addNewInitContainer().withName(init).withImage("busybox:1.36").endInitContainer().endSpec();
        }
        return pod.build();
    }
}
