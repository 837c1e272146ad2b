package io.quarkube.agent.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.quarkube.agent.cri.v1.AttachRequest;
import io.quarkube.agent.cri.v1.ContainerConfig;
import io.quarkube.agent.cri.v1.ContainerFilter;
import io.quarkube.agent.cri.v1.ContainerMetadata;
import io.quarkube.agent.cri.v1.ContainerState;
import io.quarkube.agent.cri.v1.ContainerStatsRequest;
import io.quarkube.agent.cri.v1.ContainerStatus;
import io.quarkube.agent.cri.v1.ContainerStatusRequest;
import io.quarkube.agent.cri.v1.CreateContainerRequest;
import io.quarkube.agent.cri.v1.ExecRequest;
import io.quarkube.agent.cri.v1.ExecSyncRequest;
import io.quarkube.agent.cri.v1.ExecSyncResponse;
import io.quarkube.agent.cri.v1.ImageFsInfoRequest;
import io.quarkube.agent.cri.v1.ImageSpec;
import io.quarkube.agent.cri.v1.ImageStatusRequest;
import io.quarkube.agent.cri.v1.ImageStatusResponse;
import io.quarkube.agent.cri.v1.LinuxContainerResources;
import io.quarkube.agent.cri.v1.LinuxPodSandboxConfig;
import io.quarkube.agent.cri.v1.LinuxSandboxSecurityContext;
import io.quarkube.agent.cri.v1.ListContainersRequest;
import io.quarkube.agent.cri.v1.ListImagesRequest;
import io.quarkube.agent.cri.v1.ListPodSandboxRequest;
import io.quarkube.agent.cri.v1.NamespaceMode;
import io.quarkube.agent.cri.v1.NamespaceOption;
import io.quarkube.agent.cri.v1.PodSandbox;
import io.quarkube.agent.cri.v1.PodSandboxConfig;
import io.quarkube.agent.cri.v1.PodSandboxFilter;
import io.quarkube.agent.cri.v1.PodSandboxMetadata;
import io.quarkube.agent.cri.v1.PodSandboxState;
import io.quarkube.agent.cri.v1.PodSandboxStatus;
import io.quarkube.agent.cri.v1.PodSandboxStatusRequest;
import io.quarkube.agent.cri.v1.PortForwardRequest;
import io.quarkube.agent.cri.v1.PortMapping;
import io.quarkube.agent.cri.v1.Protocol;
import io.quarkube.agent.cri.v1.PullImageRequest;
import io.quarkube.agent.cri.v1.RemoveContainerRequest;
import io.quarkube.agent.cri.v1.RemovePodSandboxRequest;
import io.quarkube.agent.cri.v1.ReopenContainerLogRequest;
import io.quarkube.agent.cri.v1.RunPodSandboxRequest;
import io.quarkube.agent.cri.v1.RuntimeCondition;
import io.quarkube.agent.cri.v1.StartContainerRequest;
import io.quarkube.agent.cri.v1.StatusRequest;
import io.quarkube.agent.cri.v1.StopContainerRequest;
import io.quarkube.agent.cri.v1.StopPodSandboxRequest;
import io.quarkube.agent.cri.v1.UpdateContainerResourcesRequest;
import io.quarkube.agent.cri.v1.VersionRequest;
import io.quarkube.agent.cri.v1.VersionResponse;
import io.quarkube.agent.runtime.RuntimeCallException;
import io.quarkube.agent.testing.containerd.ContainerdExtension;
import io.quarkube.agent.testing.containerd.TestContainerd;
import io.smallrye.mutiny.Uni;

/** {@link CriRuntime} against a real containerd with runc and CNI bridge networking. */
@ExtendWith(ContainerdExtension.class)
class CriRuntimeTest {

    private static final Duration CALL = Duration.ofSeconds(30);
    private static final Duration CONTAINER_STATE_CHANGE = Duration.ofSeconds(20);

    private final CriRuntime runtime;

    @TempDir
    Path logs;

    CriRuntimeTest(CriRuntime runtime) {
        this.runtime = runtime;
    }

    @Test
    void versionNamesContainerdAndApiV1() {
        VersionResponse version = await(runtime.version(VersionRequest.newBuilder().setVersion("v1").build()));

        assertEquals("containerd", version.getRuntimeName());
        assertEquals("v1", version.getRuntimeApiVersion());
        assertFalse(version.getRuntimeVersion().isEmpty());
    }

    @Test
    void statusReportsRuntimeAndNetworkReady() {
        List<RuntimeCondition> conditions = await(runtime.status(StatusRequest.getDefaultInstance()))
                .getStatus().getConditionsList();

        Map<String, Boolean> byType = conditions.stream()
                .collect(Collectors.toMap(RuntimeCondition::getType, RuntimeCondition::getStatus));
        assertEquals(Map.of("RuntimeReady", true, "NetworkReady", true), byType);
    }

    @Test
    void imageStatusOfAnImportedImage() {
        ImageStatusResponse status = await(runtime.imageStatus(ImageStatusRequest.newBuilder()
                .setImage(image(TestContainerd.BUSYBOX_IMAGE)).build()));

        assertTrue(status.hasImage());
        assertTrue(status.getImage().getRepoTagsList().contains(TestContainerd.BUSYBOX_IMAGE), status.getImage().getRepoTagsList()::toString);
        assertTrue(status.getImage().getId().startsWith("sha256:"), status.getImage().getId());
        assertTrue(status.getImage().getSize() > 0);
    }

    @Test
    void imageStatusOfAMissingImageIsEmptyNotAnError() {
        ImageStatusResponse status = await(runtime.imageStatus(ImageStatusRequest.newBuilder()
                .setImage(image("quarkube.test/absent:1")).build()));

        assertFalse(status.hasImage());
    }

    @Test
    void listImagesAndImageFsInfo() {
        Set<String> tags = await(runtime.listImages(ListImagesRequest.getDefaultInstance())).getImagesList().stream()
                .flatMap(image -> image.getRepoTagsList().stream()).collect(Collectors.toSet());
        assertTrue(tags.containsAll(Set.of(TestContainerd.BUSYBOX_IMAGE, TestContainerd.PAUSE_IMAGE)), tags::toString);

        var filesystems = await(runtime.imageFsInfo(ImageFsInfoRequest.getDefaultInstance())).getImageFilesystemsList();
        assertFalse(filesystems.isEmpty());
        // Usage is sampled in the background; where the images live is known at once.
        assertTrue(filesystems.get(0).getFsId().getMountpoint().contains("overlayfs"), filesystems::toString);
    }

    @Test
    void pullOfAnUnreachableImageFailsWithTheRuntimesReason() {
        String unreachable = "registry.quarkube.invalid/nothing:1";

        RuntimeCallException failure = awaitFailure(runtime.pullImage(PullImageRequest.newBuilder()
                .setImage(image(unreachable)).build()));

        assertEquals("PullImage", failure.operation());
        assertFalse(failure.isNotFound());
        assertTrue(failure.runtimeMessage().contains(unreachable), failure.runtimeMessage());
    }

    @Test
    void callsToAnAbsentRuntimeFailAsUnavailable(@TempDir Path dir) {
        try (CriRuntime absent = CriRuntime.connect(dir.resolve("none.sock"))) {
            RuntimeCallException failure = awaitFailure(absent.version(VersionRequest.getDefaultInstance()));

            assertEquals(Status.Code.UNAVAILABLE, failure.code());
            assertTrue(failure.isUnavailable());
        }
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                argumentSet("a status keeps its code and description",
                        new StatusRuntimeException(Status.NOT_FOUND.withDescription("container \"c1\" not found")),
                        Status.Code.NOT_FOUND, "container \"c1\" not found"),
                argumentSet("a checked status exception too",
                        new StatusException(Status.DEADLINE_EXCEEDED), Status.Code.DEADLINE_EXCEEDED, ""),
                argumentSet("anything else is UNKNOWN",
                        new IllegalStateException("broken"), Status.Code.UNKNOWN, ""));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void failuresBecomeRuntimeCallExceptionsWithTheGrpcCode(Throwable failure, Status.Code code, String message) {
        RuntimeCallException mapped = CriRuntime.toRuntimeCallException("ContainerStatus", failure);

        assertEquals("ContainerStatus", mapped.operation());
        assertEquals(code, mapped.code());
        assertEquals(message, mapped.runtimeMessage());
        assertEquals(failure, mapped.getCause());
    }

    @Test
    void sandboxGetsAPodAddressFromCni() throws Exception {
        PodSandboxConfig config = sandboxConfig("net", Map.of());
        String sandbox = runSandbox(config);

        PodSandboxStatus status = await(runtime.podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                .setPodSandboxId(sandbox).build())).getStatus();

        assertEquals(PodSandboxState.SANDBOX_READY, status.getState());
        assertEquals(config.getMetadata(), status.getMetadata());
        byte[] address = InetAddress.getByName(status.getNetwork().getIp()).getAddress();
        assertEquals(4, address.length, status.getNetwork().getIp());
        assertEquals(10, address[0]);
        assertEquals(88, address[1]);
    }

    @Test
    void podServesOnItsAddressAndOnItsHostPort() throws Exception {
        int hostPort = ThreadLocalRandom.current().nextInt(40000, 50000);
        PodSandboxConfig config = sandboxConfig("web", Map.of()).toBuilder()
                .addPortMappings(PortMapping.newBuilder().setProtocol(Protocol.TCP).setContainerPort(8080).setHostPort(hostPort))
                .build();
        String sandbox = runSandbox(config);
        String container = createContainer(sandbox, config, "web",
                List.of("sh", "-c", "echo served by $(hostname) > /tmp/index.html && exec httpd -f -p 8080 -h /tmp"), Map.of());
        await(runtime.startContainer(StartContainerRequest.newBuilder().setContainerId(container).build()));
        String podIp = await(runtime.podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(sandbox).build()))
                .getStatus().getNetwork().getIp();

        assertEquals("served by web\n", httpGet(URI.create("http://" + podIp + ":8080/index.html")));
        assertEquals("served by web\n", httpGet(URI.create("http://" + nodeAddress().getHostAddress() + ":" + hostPort + "/index.html")));
    }

    @Test
    void containerRunsToItsExitCodeAndLogsInCriFormat() throws Exception {
        PodSandboxConfig config = sandboxConfig("exit", Map.of());
        String sandbox = runSandbox(config);
        String container = createContainer(sandbox, config, "main", List.of("sh", "-c", "echo hello from busybox; exit 3"), Map.of());

        assertEquals(ContainerState.CONTAINER_CREATED, containerStatus(container).getState());
        await(runtime.startContainer(StartContainerRequest.newBuilder().setContainerId(container).build()));

        ContainerStatus exited = awaitContainer(container, s -> s.getState() == ContainerState.CONTAINER_EXITED);
        assertEquals(3, exited.getExitCode());
        assertEquals("Error", exited.getReason());
        // containerd stamps the start after the process runs and the finish from the exit event, so for a
        // short-lived process the two may come in either order.
        assertTrue(exited.getStartedAt() > 0 && exited.getFinishedAt() > 0, exited::toString);
        String log = Files.readString(Path.of(exited.getLogPath()), StandardCharsets.UTF_8);
        assertTrue(log.matches("(?s)\\S+ stdout F hello from busybox\n"), log);
    }

    @Test
    void execSyncReturnsOutputAndExitCode() throws Exception {
        String container = runningContainer("exec");

        ExecSyncResponse result = await(runtime.execSync(ExecSyncRequest.newBuilder().setContainerId(container)
                .addAllCmd(List.of("sh", "-c", "echo out; echo err >&2; exit 7")).setTimeout(10).build()));

        assertEquals("out\n", result.getStdout().toStringUtf8());
        assertEquals("err\n", result.getStderr().toStringUtf8());
        assertEquals(7, result.getExitCode());
    }

    @Test
    void execSyncPastItsTimeoutFailsWithDeadlineExceeded() throws Exception {
        String container = runningContainer("probe");

        RuntimeCallException failure = awaitFailure(runtime.execSync(ExecSyncRequest.newBuilder().setContainerId(container)
                .addAllCmd(List.of("sleep", "30")).setTimeout(1).build()));

        // What the kubelet reads as a timed-out exec probe.
        assertEquals(Status.Code.DEADLINE_EXCEEDED, failure.code(), failure::toString);
    }

    @Test
    void stopAndRemoveAContainer() throws Exception {
        String container = runningContainer("stop");

        await(runtime.stopContainer(StopContainerRequest.newBuilder().setContainerId(container).setTimeout(0).build()));
        ContainerStatus stopped = containerStatus(container);
        assertEquals(ContainerState.CONTAINER_EXITED, stopped.getState());
        assertEquals(137, stopped.getExitCode());
        // Idempotent, as the kubelet relies on.
        await(runtime.stopContainer(StopContainerRequest.newBuilder().setContainerId(container).setTimeout(0).build()));

        await(runtime.removeContainer(RemoveContainerRequest.newBuilder().setContainerId(container).build()));
        RuntimeCallException gone = awaitFailure(runtime.containerStatus(ContainerStatusRequest.newBuilder()
                .setContainerId(container).build()));
        assertTrue(gone.isNotFound(), gone::toString);
        await(runtime.removeContainer(RemoveContainerRequest.newBuilder().setContainerId(container).build()));
    }

    @Test
    void stopAndRemoveASandbox() throws Exception {
        PodSandboxConfig config = sandboxConfig("gone", Map.of());
        String sandbox = runSandbox(config);
        String container = createContainer(sandbox, config, "main", List.of("sleep", "3600"), Map.of());
        await(runtime.startContainer(StartContainerRequest.newBuilder().setContainerId(container).build()));

        await(runtime.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(sandbox).build()));
        assertEquals(PodSandboxState.SANDBOX_NOTREADY, await(runtime.podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                .setPodSandboxId(sandbox).build())).getStatus().getState());
        assertEquals(ContainerState.CONTAINER_EXITED, containerStatus(container).getState());

        await(runtime.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandbox).build()));
        assertTrue(awaitFailure(runtime.podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                .setPodSandboxId(sandbox).build())).isNotFound());
        assertTrue(awaitFailure(runtime.containerStatus(ContainerStatusRequest.newBuilder()
                .setContainerId(container).build())).isNotFound());
        await(runtime.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandbox).build()));
    }

    @Test
    void listsFilterByLabel() throws Exception {
        String run = UUID.randomUUID().toString();
        PodSandboxConfig first = sandboxConfig("first", Map.of("quarkube.test/run", run, "app", "first"));
        PodSandboxConfig second = sandboxConfig("second", Map.of("quarkube.test/run", run, "app", "second"));
        String firstSandbox = runSandbox(first);
        String secondSandbox = runSandbox(second);
        String firstContainer = createContainer(firstSandbox, first, "c", List.of("true"), Map.of("quarkube.test/run", run, "app", "first"));
        createContainer(secondSandbox, second, "c", List.of("true"), Map.of("quarkube.test/run", run, "app", "second"));

        List<PodSandbox> bothSandboxes = await(runtime.listPodSandbox(ListPodSandboxRequest.newBuilder()
                .setFilter(PodSandboxFilter.newBuilder().putLabelSelector("quarkube.test/run", run)).build())).getItemsList();
        assertEquals(Set.of(firstSandbox, secondSandbox), bothSandboxes.stream().map(PodSandbox::getId).collect(Collectors.toSet()));

        List<PodSandbox> firstOnly = await(runtime.listPodSandbox(ListPodSandboxRequest.newBuilder()
                .setFilter(PodSandboxFilter.newBuilder().putLabelSelector("quarkube.test/run", run).putLabelSelector("app", "first"))
                .build())).getItemsList();
        assertEquals(List.of(firstSandbox), firstOnly.stream().map(PodSandbox::getId).toList());
        assertEquals("first", firstOnly.get(0).getMetadata().getName());

        var containers = await(runtime.listContainers(ListContainersRequest.newBuilder()
                .setFilter(ContainerFilter.newBuilder().putLabelSelector("quarkube.test/run", run).putLabelSelector("app", "first"))
                .build())).getContainersList();
        assertEquals(List.of(firstContainer), containers.stream().map(c -> c.getId()).toList());
        assertEquals(firstSandbox, containers.get(0).getPodSandboxId());
    }

    @Test
    void execAttachAndPortForwardReturnStreamingUrls() throws Exception {
        PodSandboxConfig config = sandboxConfig("stream", Map.of());
        String sandbox = runSandbox(config);
        String container = createContainer(sandbox, config, "main", List.of("sleep", "3600"), Map.of());
        await(runtime.startContainer(StartContainerRequest.newBuilder().setContainerId(container).build()));

        String exec = await(runtime.exec(ExecRequest.newBuilder().setContainerId(container).addCmd("sh")
                .setStdin(true).setStdout(true).setStderr(true).build())).getUrl();
        String attach = await(runtime.attach(AttachRequest.newBuilder().setContainerId(container)
                .setStdout(true).setStderr(true).build())).getUrl();
        String portForward = await(runtime.portForward(PortForwardRequest.newBuilder().setPodSandboxId(sandbox)
                .addPort(8080).build())).getUrl();

        for (String url : List.of(exec, attach, portForward)) {
            URI uri = URI.create(url);
            assertEquals("http", uri.getScheme(), url);
            assertEquals("127.0.0.1", uri.getHost(), url);
            assertTrue(uri.getPort() > 0, url);
        }
        assertTrue(URI.create(exec).getPath().startsWith("/exec/"), exec);
        assertTrue(URI.create(attach).getPath().startsWith("/attach/"), attach);
        assertTrue(URI.create(portForward).getPath().startsWith("/portforward/"), portForward);
    }

    @Test
    void updateResourcesReopenLogAndStatsOfARunningContainer() throws Exception {
        String container = runningContainer("resources");

        await(runtime.updateContainerResources(UpdateContainerResourcesRequest.newBuilder().setContainerId(container)
                .setLinux(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(64L << 20)).build()));
        ContainerStatus status = containerStatus(container);
        assertEquals(64L << 20, status.getResources().getLinux().getMemoryLimitInBytes());

        await(runtime.reopenContainerLog(ReopenContainerLogRequest.newBuilder().setContainerId(container).build()));

        var stats = await(runtime.containerStats(ContainerStatsRequest.newBuilder().setContainerId(container).build())).getStats();
        assertEquals(container, stats.getAttributes().getId());
        assertTrue(stats.getMemory().getWorkingSetBytes().getValue() > 0);
    }

    // --- helpers

    private String runningContainer(String name) throws Exception {
        PodSandboxConfig config = sandboxConfig(name, Map.of());
        String sandbox = runSandbox(config);
        String container = createContainer(sandbox, config, "main", List.of("sleep", "3600"), Map.of());
        await(runtime.startContainer(StartContainerRequest.newBuilder().setContainerId(container).build()));
        assertEquals(ContainerState.CONTAINER_RUNNING, containerStatus(container).getState());
        return container;
    }

    private PodSandboxConfig sandboxConfig(String name, Map<String, String> labels) throws Exception {
        String uid = UUID.randomUUID().toString();
        Path logDirectory = Files.createDirectories(logs.resolve(name + "_" + uid));
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace("default").setUid(uid))
                .setHostname(name)
                .setLogDirectory(logDirectory.toString())
                .putAllLabels(labels)
                .setLinux(LinuxPodSandboxConfig.newBuilder()
                        .setCgroupParent(TestContainerd.cgroupParent(uid))
                        .setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                                .setNamespaceOptions(NamespaceOption.newBuilder()
                                        .setNetwork(NamespaceMode.POD).setPid(NamespaceMode.CONTAINER).setIpc(NamespaceMode.POD))))
                .build();
    }

    private String runSandbox(PodSandboxConfig config) {
        return await(runtime.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).build())).getPodSandboxId();
    }

    private String createContainer(String sandbox, PodSandboxConfig sandboxConfig, String name, List<String> command,
            Map<String, String> labels) {
        ContainerConfig config = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(name))
                .setImage(image(TestContainerd.BUSYBOX_IMAGE))
                .addAllCommand(command)
                .putAllLabels(labels)
                .setLogPath(name + "/0.log")
                .build();
        return await(runtime.createContainer(CreateContainerRequest.newBuilder()
                .setPodSandboxId(sandbox).setConfig(config).setSandboxConfig(sandboxConfig).build())).getContainerId();
    }

    private ContainerStatus containerStatus(String container) {
        return await(runtime.containerStatus(ContainerStatusRequest.newBuilder().setContainerId(container).build())).getStatus();
    }

    /** Polls the container's status until it satisfies {@code condition}, with a deadline. */
    private ContainerStatus awaitContainer(String container, Predicate<ContainerStatus> condition) {
        return runtime.containerStatus(ContainerStatusRequest.newBuilder().setContainerId(container).build())
                .map(response -> response.getStatus())
                .invoke(status -> {
                    if (!condition.test(status)) {
                        throw new IllegalStateException("container " + container + " is " + status.getState());
                    }
                })
                .onFailure(IllegalStateException.class).retry()
                .withBackOff(Duration.ofMillis(20), Duration.ofMillis(200)).expireIn(System.currentTimeMillis() + CONTAINER_STATE_CHANGE.toMillis())
                .await().atMost(CONTAINER_STATE_CHANGE.plusSeconds(5));
    }

    /** GETs {@code uri} until it answers 200 (the server in the pod may not listen yet), with a deadline. */
    private static String httpGet(URI uri) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return Uni.createFrom().item(() -> {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(uri + " answered " + response.statusCode());
                }
                return response.body();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        })
                .onFailure(failure -> !(failure instanceof IllegalStateException && failure.getCause() instanceof InterruptedException))
                .retry().withBackOff(Duration.ofMillis(20), Duration.ofMillis(200))
                .expireIn(System.currentTimeMillis() + CONTAINER_STATE_CHANGE.toMillis())
                .await().atMost(CONTAINER_STATE_CHANGE.plusSeconds(5));
    }

    /** An IPv4 address of this machine outside loopback and the pod network: where host ports are served. */
    private static InetAddress nodeAddress() throws Exception {
        return NetworkInterface.networkInterfaces()
                .filter(nic -> {
                    try {
                        return nic.isUp() && !nic.isLoopback();
                    } catch (SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.getHostAddress().startsWith("10.88."))
                .findFirst().orElseThrow(() -> new IllegalStateException("no IPv4 address outside loopback and the pod network"));
    }

    private static ImageSpec image(String name) {
        return ImageSpec.newBuilder().setImage(name).build();
    }

    private static <T> T await(Uni<T> call) {
        return call.await().atMost(CALL);
    }

    private static RuntimeCallException awaitFailure(Uni<?> call) {
        return assertInstanceOf(RuntimeCallException.class, assertThrows(RuntimeException.class, () -> call.await().atMost(CALL)));
    }
}
