package io.quarkube.agent.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.quarkube.agent.cri.v1.*;
import io.smallrye.mutiny.Uni;

/**
 * A container runtime without containers, for scale tests of many nodes on one machine (like
 * KWOK): sandboxes get addresses from a simulated pod network, containers run from StartContainer
 * until stopped, images are always present except under {@value #UNPULLABLE_REGISTRY}.
 *
 * <p>A pod can ask its containers to end on their own, so that Jobs and restart policies can be
 * exercised: the pod annotation {@value #EXIT_AFTER_ANNOTATION} (a duration such as "5s" or
 * "500ms") ends every started container after that long, with the exit code of
 * {@value #EXIT_CODE_ANNOTATION} (default 0). Exec answers with a fixed simulated text.
 */
public final class SimulatedRuntime implements ContainerRuntime {

    public static final String EXIT_AFTER_ANNOTATION = "quarkube.io/simulate-exit-after";
    public static final String EXIT_CODE_ANNOTATION = "quarkube.io/simulate-exit-code";
    /** Images of this registry cannot be pulled: ErrImagePull and ImagePullBackOff can be exercised. */
    public static final String UNPULLABLE_REGISTRY = "unpullable.invalid/";
    public static final String NAME = "simulated";
    public static final String VERSION = "0.1.0";

    private final Clock clock;
    private final Duration startDelay;
    private final Duration pullDelay;
    private final SimulatedPodNetwork network;
    private final Map<String, Sandbox> sandboxes = new ConcurrentHashMap<>();
    private final Map<String, SimContainer> containers = new ConcurrentHashMap<>();
    private volatile boolean ready = true;

    public SimulatedRuntime(Clock clock, Duration startDelay, Duration pullDelay, SimulatedPodNetwork network) {
        this.clock = clock;
        this.startDelay = startDelay;
        this.pullDelay = pullDelay;
        this.network = network;
    }

    private record Sandbox(String id, PodSandboxConfig config, long createdAt, String ip, boolean ready) {
        Sandbox stopped() {
            return new Sandbox(id, config, createdAt, ip, false);
        }
    }

    /** A container's life as times; its state is read from the clock, so no timer runs per container. */
    private record SimContainer(String id, String sandboxId, ContainerConfig config, long createdAt,
            long startedAt, long finishedAt, int exitCode, String reason) {
    }

    @Override
    public String runtimeName() {
        return NAME;
    }

    @Override
    public Uni<VersionResponse> version(VersionRequest request) {
        return now(() -> VersionResponse.newBuilder().setVersion("0.1.0").setRuntimeName(NAME)
                .setRuntimeVersion(VERSION).setRuntimeApiVersion("v1").build());
    }

    /** Simulates an outage of the runtime (false) and its recovery (true): Status reports RuntimeReady accordingly. */
    public void setReady(boolean ready) {
        this.ready = ready;
    }

    @Override
    public Uni<StatusResponse> status(StatusRequest request) {
        boolean runtimeReady = ready;
        return now(() -> StatusResponse.newBuilder().setStatus(RuntimeStatus.newBuilder()
                .addConditions(RuntimeCondition.newBuilder().setType("RuntimeReady").setStatus(runtimeReady)
                        .setReason(runtimeReady ? "" : "SimulatedOutage").setMessage(runtimeReady ? "" : "the simulated runtime is down"))
                .addConditions(RuntimeCondition.newBuilder().setType("NetworkReady").setStatus(true))).build());
    }

    @Override
    public Uni<RunPodSandboxResponse> runPodSandbox(RunPodSandboxRequest request) {
        return now(() -> {
            String id = newId();
            sandboxes.put(id, new Sandbox(id, request.getConfig(), nanos(clock.instant()), network.next(), true));
            return RunPodSandboxResponse.newBuilder().setPodSandboxId(id).build();
        });
    }

    @Override
    public Uni<StopPodSandboxResponse> stopPodSandbox(StopPodSandboxRequest request) {
        return now(() -> {
            sandboxes.computeIfPresent(request.getPodSandboxId(), (id, sandbox) -> sandbox.stopped());
            containers.values().stream().filter(c -> c.sandboxId().equals(request.getPodSandboxId()))
                    .forEach(c -> stop(c.id()));
            return StopPodSandboxResponse.getDefaultInstance();
        });
    }

    @Override
    public Uni<RemovePodSandboxResponse> removePodSandbox(RemovePodSandboxRequest request) {
        return now(() -> {
            sandboxes.remove(request.getPodSandboxId());
            containers.values().removeIf(c -> c.sandboxId().equals(request.getPodSandboxId()));
            return RemovePodSandboxResponse.getDefaultInstance();
        });
    }

    @Override
    public Uni<PodSandboxStatusResponse> podSandboxStatus(PodSandboxStatusRequest request) {
        return now(() -> {
            Sandbox sandbox = sandbox(request.getPodSandboxId());
            return PodSandboxStatusResponse.newBuilder().setStatus(PodSandboxStatus.newBuilder()
                    .setId(sandbox.id())
                    .setMetadata(sandbox.config().getMetadata())
                    .setState(sandbox.ready() ? PodSandboxState.SANDBOX_READY : PodSandboxState.SANDBOX_NOTREADY)
                    .setCreatedAt(sandbox.createdAt())
                    .setNetwork(PodSandboxNetworkStatus.newBuilder().setIp(sandbox.ip()))
                    .putAllLabels(sandbox.config().getLabelsMap())
                    .putAllAnnotations(sandbox.config().getAnnotationsMap())).build();
        });
    }

    @Override
    public Uni<ListPodSandboxResponse> listPodSandbox(ListPodSandboxRequest request) {
        return now(() -> {
            PodSandboxFilter filter = request.getFilter();
            ListPodSandboxResponse.Builder list = ListPodSandboxResponse.newBuilder();
            for (Sandbox sandbox : sandboxes.values()) {
                PodSandboxState state = sandbox.ready() ? PodSandboxState.SANDBOX_READY : PodSandboxState.SANDBOX_NOTREADY;
                if ((!filter.getId().isEmpty() && !filter.getId().equals(sandbox.id()))
                        || (filter.hasState() && filter.getState().getState() != state)
                        || !matches(filter.getLabelSelectorMap(), sandbox.config().getLabelsMap())) {
                    continue;
                }
                list.addItems(PodSandbox.newBuilder().setId(sandbox.id()).setMetadata(sandbox.config().getMetadata())
                        .setState(state).setCreatedAt(sandbox.createdAt())
                        .putAllLabels(sandbox.config().getLabelsMap()).putAllAnnotations(sandbox.config().getAnnotationsMap()));
            }
            return list.build();
        });
    }

    @Override
    public Uni<CreateContainerResponse> createContainer(CreateContainerRequest request) {
        return now(() -> {
            Sandbox sandbox = sandbox(request.getPodSandboxId());
            if (!sandbox.ready()) {
                throw new RuntimeCallException("CreateContainer", Status.Code.FAILED_PRECONDITION, "sandbox " + sandbox.id() + " is not ready");
            }
            String id = newId();
            containers.put(id, new SimContainer(id, sandbox.id(), request.getConfig(), nanos(clock.instant()), 0, 0, 0, ""));
            return CreateContainerResponse.newBuilder().setContainerId(id).build();
        });
    }

    @Override
    public Uni<StartContainerResponse> startContainer(StartContainerRequest request) {
        Uni<StartContainerResponse> start = now(() -> {
            SimContainer container = container(request.getContainerId());
            Map<String, String> annotations = sandbox(container.sandboxId()).config().getAnnotationsMap();
            Instant started = clock.instant();
            long finishedAt = 0;
            int exitCode = 0;
            Optional<Duration> exitAfter = Optional.ofNullable(annotations.get(EXIT_AFTER_ANNOTATION)).map(SimulatedRuntime::duration);
            if (exitAfter.isPresent()) {
                finishedAt = nanos(started.plus(exitAfter.get()));
                exitCode = Integer.parseInt(annotations.getOrDefault(EXIT_CODE_ANNOTATION, "0").strip());
            }
            containers.put(container.id(), new SimContainer(container.id(), container.sandboxId(), container.config(),
                    container.createdAt(), nanos(started), finishedAt, exitCode, exitCode == 0 ? "Completed" : "Error"));
            return StartContainerResponse.getDefaultInstance();
        });
        return startDelay.isZero() ? start : start.onItem().delayIt().by(startDelay);
    }

    @Override
    public Uni<StopContainerResponse> stopContainer(StopContainerRequest request) {
        return now(() -> {
            stop(request.getContainerId());
            return StopContainerResponse.getDefaultInstance();
        });
    }

    /** A simulated process ends at once on SIGTERM, with 143 like a shell that does not trap it. */
    private void stop(String id) {
        long now = nanos(clock.instant());
        containers.computeIfPresent(id, (key, c) -> {
            if (c.startedAt() == 0 || (c.finishedAt() != 0 && c.finishedAt() <= now)) {
                return c.startedAt() == 0 ? new SimContainer(c.id(), c.sandboxId(), c.config(), c.createdAt(), 0, now, 0, "Error") : c;
            }
            return new SimContainer(c.id(), c.sandboxId(), c.config(), c.createdAt(), c.startedAt(), now, 143, "Error");
        });
    }

    @Override
    public Uni<RemoveContainerResponse> removeContainer(RemoveContainerRequest request) {
        return now(() -> {
            containers.remove(request.getContainerId());
            return RemoveContainerResponse.getDefaultInstance();
        });
    }

    @Override
    public Uni<ListContainersResponse> listContainers(ListContainersRequest request) {
        return now(() -> {
            ContainerFilter filter = request.getFilter();
            long now = nanos(clock.instant());
            ListContainersResponse.Builder list = ListContainersResponse.newBuilder();
            for (SimContainer c : containers.values()) {
                ContainerState state = state(c, now);
                if ((!filter.getId().isEmpty() && !filter.getId().equals(c.id()))
                        || (!filter.getPodSandboxId().isEmpty() && !filter.getPodSandboxId().equals(c.sandboxId()))
                        || (filter.hasState() && filter.getState().getState() != state)
                        || !matches(filter.getLabelSelectorMap(), c.config().getLabelsMap())) {
                    continue;
                }
                list.addContainers(Container.newBuilder().setId(c.id()).setPodSandboxId(c.sandboxId())
                        .setMetadata(c.config().getMetadata()).setImage(c.config().getImage())
                        .setImageRef(imageRef(c.config().getImage().getImage())).setState(state)
                        .setCreatedAt(c.createdAt()).putAllLabels(c.config().getLabelsMap())
                        .putAllAnnotations(c.config().getAnnotationsMap()));
            }
            return list.build();
        });
    }

    @Override
    public Uni<ContainerStatusResponse> containerStatus(ContainerStatusRequest request) {
        return now(() -> {
            SimContainer c = container(request.getContainerId());
            long now = nanos(clock.instant());
            ContainerState state = state(c, now);
            ContainerStatus.Builder status = ContainerStatus.newBuilder().setId(c.id()).setMetadata(c.config().getMetadata())
                    .setState(state).setCreatedAt(c.createdAt()).setStartedAt(c.startedAt())
                    .setImage(c.config().getImage()).setImageRef(imageRef(c.config().getImage().getImage()))
                    .putAllLabels(c.config().getLabelsMap()).putAllAnnotations(c.config().getAnnotationsMap());
            if (state == ContainerState.CONTAINER_EXITED) {
                status.setFinishedAt(c.finishedAt()).setExitCode(c.exitCode()).setReason(c.reason());
            }
            return ContainerStatusResponse.newBuilder().setStatus(status).build();
        });
    }

    private static ContainerState state(SimContainer c, long now) {
        if (c.finishedAt() != 0 && c.finishedAt() <= now) {
            return ContainerState.CONTAINER_EXITED;
        }
        return c.startedAt() == 0 ? ContainerState.CONTAINER_CREATED : ContainerState.CONTAINER_RUNNING;
    }

    @Override
    public Uni<UpdateContainerResourcesResponse> updateContainerResources(UpdateContainerResourcesRequest request) {
        return now(() -> {
            container(request.getContainerId());
            return UpdateContainerResourcesResponse.getDefaultInstance();
        });
    }

    @Override
    public Uni<ReopenContainerLogResponse> reopenContainerLog(ReopenContainerLogRequest request) {
        return now(ReopenContainerLogResponse::getDefaultInstance);
    }

    @Override
    public Uni<ContainerStatsResponse> containerStats(ContainerStatsRequest request) {
        return unimplemented("ContainerStats");
    }

    @Override
    public Uni<ListContainerStatsResponse> listContainerStats(ListContainerStatsRequest request) {
        return now(ListContainerStatsResponse::getDefaultInstance);
    }

    @Override
    public Uni<ExecSyncResponse> execSync(ExecSyncRequest request) {
        return now(() -> {
            container(request.getContainerId());
            String text = "simulated exec in " + request.getContainerId() + ": " + String.join(" ", request.getCmdList()) + "\n";
            return ExecSyncResponse.newBuilder().setStdout(ByteString.copyFrom(text, StandardCharsets.UTF_8)).setExitCode(0).build();
        });
    }

    @Override
    public Uni<ExecResponse> exec(ExecRequest request) {
        return unimplemented("Exec");
    }

    @Override
    public Uni<AttachResponse> attach(AttachRequest request) {
        return unimplemented("Attach");
    }

    @Override
    public Uni<PortForwardResponse> portForward(PortForwardRequest request) {
        return unimplemented("PortForward");
    }

    @Override
    public Uni<ListImagesResponse> listImages(ListImagesRequest request) {
        return now(ListImagesResponse::getDefaultInstance);
    }

    @Override
    public Uni<ImageStatusResponse> imageStatus(ImageStatusRequest request) {
        return now(() -> {
            String image = request.getImage().getImage();
            ImageStatusResponse.Builder response = ImageStatusResponse.newBuilder();
            if (!image.startsWith(UNPULLABLE_REGISTRY)) {
                response.setImage(Image.newBuilder().setId(imageRef(image)).addRepoTags(image).setSpec(request.getImage()));
            }
            return response.build();
        });
    }

    @Override
    public Uni<PullImageResponse> pullImage(PullImageRequest request) {
        Uni<PullImageResponse> pull = now(() -> {
            String image = request.getImage().getImage();
            if (image.startsWith(UNPULLABLE_REGISTRY)) {
                throw new RuntimeCallException("PullImage", Status.Code.UNKNOWN,
                        "failed to pull and unpack image \"" + image + "\": simulated registry refuses it");
            }
            return PullImageResponse.newBuilder().setImageRef(imageRef(image)).build();
        });
        return pullDelay.isZero() ? pull : Uni.createFrom().voidItem().onItem().delayIt().by(pullDelay).replaceWith(pull);
    }

    @Override
    public Uni<RemoveImageResponse> removeImage(RemoveImageRequest request) {
        return now(RemoveImageResponse::getDefaultInstance);
    }

    @Override
    public Uni<ImageFsInfoResponse> imageFsInfo(ImageFsInfoRequest request) {
        return now(ImageFsInfoResponse::getDefaultInstance);
    }

    /** A stable digest-like reference for an image name. */
    static String imageRef(String image) {
        return "sha256:" + UUID.nameUUIDFromBytes(image.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "")
                + UUID.nameUUIDFromBytes(("2" + image).getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    }

    /** "5s", "500ms", "2m", "1h" or a bare number of seconds. */
    static Duration duration(String text) {
        String value = text.strip();
        if (value.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
        }
        char unit = value.charAt(value.length() - 1);
        if (Character.isDigit(unit)) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        long amount = Long.parseLong(value.substring(0, value.length() - 1));
        return switch (unit) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException("not a duration: " + text);
        };
    }

    private Sandbox sandbox(String id) {
        Sandbox sandbox = sandboxes.get(id);
        if (sandbox == null) {
            throw new RuntimeCallException("PodSandbox", Status.Code.NOT_FOUND, "sandbox " + id + " not found");
        }
        return sandbox;
    }

    private SimContainer container(String id) {
        SimContainer container = containers.get(id);
        if (container == null) {
            throw new RuntimeCallException("Container", Status.Code.NOT_FOUND, "container " + id + " not found");
        }
        return container;
    }

    private static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private static String newId() {
        return UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    }

    private static <T> Uni<T> now(Supplier<T> call) {
        return Uni.createFrom().item(call);
    }

    private static <T> Uni<T> unimplemented(String operation) {
        return Uni.createFrom().failure(new RuntimeCallException(operation, Status.Code.UNIMPLEMENTED,
                "the simulated runtime has no " + operation));
    }

    /** The simulated pod network: consecutive IPv4 addresses from a first one, shared by every node of a process. */
    public static final class SimulatedPodNetwork {
        private final long first;
        private final AtomicInteger next = new AtomicInteger(1);

        public SimulatedPodNetwork(String firstAddress) {
            long value = 0;
            for (String part : firstAddress.split("\\.")) {
                value = value << 8 | Integer.parseInt(part);
            }
            this.first = value;
        }

        String next() {
            long address = first + next.getAndIncrement();
            return (address >> 24 & 255) + "." + (address >> 16 & 255) + "." + (address >> 8 & 255) + "." + (address & 255);
        }
    }
}
