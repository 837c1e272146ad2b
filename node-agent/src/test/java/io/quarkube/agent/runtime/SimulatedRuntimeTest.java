package io.quarkube.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkube.agent.cri.v1.*;
import io.quarkube.agent.testing.MutableClock;

class SimulatedRuntimeTest {

    /** Moved by hand, so timed exits need no waiting. */
    private final MutableClock clock = new MutableClock();
    private final SimulatedRuntime runtime = new SimulatedRuntime(clock, Duration.ZERO, Duration.ZERO,
            new SimulatedRuntime.SimulatedPodNetwork("10.244.0.0"));

    @Test
    void sandboxGetsAnAddressAndContainerRunsUntilStopped() {
        String sandbox = sandbox(Map.of());
        String container = startContainer(sandbox);

        assertEquals("10.244.0.1", runtime.podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(sandbox).build())
                .await().indefinitely().getStatus().getNetwork().getIp());
        clock.advance(Duration.ofHours(1));
        assertEquals(ContainerState.CONTAINER_RUNNING, status(container).getState());

        runtime.stopContainer(StopContainerRequest.newBuilder().setContainerId(container).setTimeout(30).build()).await().indefinitely();

        assertEquals(ContainerState.CONTAINER_EXITED, status(container).getState());
        assertEquals(143, status(container).getExitCode());
    }

    @Test
    void annotatedPodExitsAfterTheGivenTimeWithTheGivenCode() {
        String sandbox = sandbox(Map.of(SimulatedRuntime.EXIT_AFTER_ANNOTATION, "5s", SimulatedRuntime.EXIT_CODE_ANNOTATION, "2"));
        String container = startContainer(sandbox);

        clock.advance(Duration.ofSeconds(4));
        assertEquals(ContainerState.CONTAINER_RUNNING, status(container).getState());
        clock.advance(Duration.ofSeconds(1));
        ContainerStatus exited = status(container);
        assertEquals(ContainerState.CONTAINER_EXITED, exited.getState());
        assertEquals(2, exited.getExitCode());
        assertEquals("Error", exited.getReason());
        assertEquals(5_000_000_000L, exited.getFinishedAt() - exited.getStartedAt());
    }

    @Test
    void unpullableRegistryFailsAndOtherImagesArePresent() {
        ImageSpec good = ImageSpec.newBuilder().setImage("busybox:1.36").build();
        ImageSpec bad = ImageSpec.newBuilder().setImage(SimulatedRuntime.UNPULLABLE_REGISTRY + "app:1").build();

        assertTrue(runtime.imageStatus(ImageStatusRequest.newBuilder().setImage(good).build()).await().indefinitely().hasImage());
        assertFalse(runtime.imageStatus(ImageStatusRequest.newBuilder().setImage(bad).build()).await().indefinitely().hasImage());
        assertThrows(RuntimeCallException.class, () -> runtime.pullImage(PullImageRequest.newBuilder().setImage(bad).build()).await().indefinitely());
    }

    @Test
    void listsFilterByLabelsAndExecAnswersAsSimulated() {
        String sandbox = sandbox(Map.of());
        String container = startContainer(sandbox);

        assertEquals(1, runtime.listPodSandbox(ListPodSandboxRequest.newBuilder().setFilter(PodSandboxFilter.newBuilder()
                .putLabelSelector("io.kubernetes.pod.uid", "uid-1")).build()).await().indefinitely().getItemsCount());
        assertEquals(0, runtime.listPodSandbox(ListPodSandboxRequest.newBuilder().setFilter(PodSandboxFilter.newBuilder()
                .putLabelSelector("io.kubernetes.pod.uid", "other")).build()).await().indefinitely().getItemsCount());
        String out = runtime.execSync(ExecSyncRequest.newBuilder().setContainerId(container).addCmd("date").build())
                .await().indefinitely().getStdout().toStringUtf8();
        assertTrue(out.startsWith("simulated exec in "), out);
    }

    @ParameterizedTest
    @CsvSource({"5s, 5000", "500ms, 500", "2m, 120000", "1h, 3600000", "7, 7000"})
    void durations(String text, long millis) {
        assertEquals(millis, SimulatedRuntime.duration(text).toMillis());
    }

    private String sandbox(Map<String, String> annotations) {
        return runtime.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName("p").setNamespace("ns").setUid("uid-1"))
                .putLabels("io.kubernetes.pod.uid", "uid-1").putAllAnnotations(annotations)).build())
                .await().indefinitely().getPodSandboxId();
    }

    private String startContainer(String sandbox) {
        String id = runtime.createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(sandbox).setConfig(ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName("app")).setImage(ImageSpec.newBuilder().setImage("busybox:1.36"))).build())
                .await().indefinitely().getContainerId();
        runtime.startContainer(StartContainerRequest.newBuilder().setContainerId(id).build()).await().indefinitely();
        return id;
    }

    private ContainerStatus status(String id) {
        return runtime.containerStatus(ContainerStatusRequest.newBuilder().setContainerId(id).build()).await().indefinitely().getStatus();
    }
}
