package io.quarkube.agent.cri;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.quarkube.agent.cri.v1.AttachRequest;
import io.quarkube.agent.cri.v1.AttachResponse;
import io.quarkube.agent.cri.v1.ContainerStatsRequest;
import io.quarkube.agent.cri.v1.ContainerStatsResponse;
import io.quarkube.agent.cri.v1.ContainerStatusRequest;
import io.quarkube.agent.cri.v1.ContainerStatusResponse;
import io.quarkube.agent.cri.v1.CreateContainerRequest;
import io.quarkube.agent.cri.v1.CreateContainerResponse;
import io.quarkube.agent.cri.v1.ExecRequest;
import io.quarkube.agent.cri.v1.ExecResponse;
import io.quarkube.agent.cri.v1.ExecSyncRequest;
import io.quarkube.agent.cri.v1.ExecSyncResponse;
import io.quarkube.agent.cri.v1.ImageFsInfoRequest;
import io.quarkube.agent.cri.v1.ImageFsInfoResponse;
import io.quarkube.agent.cri.v1.ImageStatusRequest;
import io.quarkube.agent.cri.v1.ImageStatusResponse;
import io.quarkube.agent.cri.v1.ListContainerStatsRequest;
import io.quarkube.agent.cri.v1.ListContainerStatsResponse;
import io.quarkube.agent.cri.v1.ListContainersRequest;
import io.quarkube.agent.cri.v1.ListContainersResponse;
import io.quarkube.agent.cri.v1.ListImagesRequest;
import io.quarkube.agent.cri.v1.ListImagesResponse;
import io.quarkube.agent.cri.v1.ListPodSandboxRequest;
import io.quarkube.agent.cri.v1.ListPodSandboxResponse;
import io.quarkube.agent.cri.v1.MutinyImageServiceGrpc;
import io.quarkube.agent.cri.v1.MutinyImageServiceGrpc.MutinyImageServiceStub;
import io.quarkube.agent.cri.v1.MutinyRuntimeServiceGrpc;
import io.quarkube.agent.cri.v1.MutinyRuntimeServiceGrpc.MutinyRuntimeServiceStub;
import io.quarkube.agent.cri.v1.PodSandboxStatusRequest;
import io.quarkube.agent.cri.v1.PodSandboxStatusResponse;
import io.quarkube.agent.cri.v1.PortForwardRequest;
import io.quarkube.agent.cri.v1.PortForwardResponse;
import io.quarkube.agent.cri.v1.PullImageRequest;
import io.quarkube.agent.cri.v1.PullImageResponse;
import io.quarkube.agent.cri.v1.RemoveContainerRequest;
import io.quarkube.agent.cri.v1.RemoveContainerResponse;
import io.quarkube.agent.cri.v1.RemoveImageRequest;
import io.quarkube.agent.cri.v1.RemoveImageResponse;
import io.quarkube.agent.cri.v1.RemovePodSandboxRequest;
import io.quarkube.agent.cri.v1.RemovePodSandboxResponse;
import io.quarkube.agent.cri.v1.ReopenContainerLogRequest;
import io.quarkube.agent.cri.v1.ReopenContainerLogResponse;
import io.quarkube.agent.cri.v1.RunPodSandboxRequest;
import io.quarkube.agent.cri.v1.RunPodSandboxResponse;
import io.quarkube.agent.cri.v1.StartContainerRequest;
import io.quarkube.agent.cri.v1.StartContainerResponse;
import io.quarkube.agent.cri.v1.StatusRequest;
import io.quarkube.agent.cri.v1.StatusResponse;
import io.quarkube.agent.cri.v1.StopContainerRequest;
import io.quarkube.agent.cri.v1.StopContainerResponse;
import io.quarkube.agent.cri.v1.StopPodSandboxRequest;
import io.quarkube.agent.cri.v1.StopPodSandboxResponse;
import io.quarkube.agent.cri.v1.UpdateContainerResourcesRequest;
import io.quarkube.agent.cri.v1.UpdateContainerResourcesResponse;
import io.quarkube.agent.cri.v1.VersionRequest;
import io.quarkube.agent.cri.v1.VersionResponse;
import io.quarkube.agent.runtime.ContainerRuntime;
import io.quarkube.agent.runtime.RuntimeCallException;
import io.smallrye.mutiny.Uni;

/**
 * {@link ContainerRuntime} over the CRI gRPC API of a runtime listening on a unix socket (containerd,
 * CRI-O). One HTTP/2 connection with its own single-threaded epoll event loop; gRPC reconnects by itself
 * when the runtime restarts, and calls made while it is down fail at once with {@code UNAVAILABLE}.
 *
 * <p>Deadlines follow the kubelet: every call gets {@link CriRuntimeSettings#requestTimeout()};
 * StopContainer and ExecSync get the container's own timeout on top, an ExecSync without timeout runs
 * unbounded, and PullImage gets {@link CriRuntimeSettings#imagePullTimeout()}.
 * Results are delivered on gRPC's callback executor, never on the event loop.
 */
public final class CriRuntime implements ContainerRuntime, AutoCloseable {

    /** The kubelet's limit for CRI messages; larger ExecSync output is cut by the runtime. */
    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private final CriRuntimeSettings settings;
    private final EpollEventLoopGroup eventLoop;
    private final ManagedChannel channel;
    private final MutinyRuntimeServiceStub runtimeService;
    private final MutinyImageServiceStub imageService;

    private CriRuntime(CriRuntimeSettings settings) {
        this.settings = settings;
        this.eventLoop = new EpollEventLoopGroup(1);
        this.channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(settings.socket().toString()))
                .channelType(EpollDomainSocketChannel.class)
                .eventLoopGroup(eventLoop)
                // The authority of a unix socket is meaningless; runtimes ignore it, but it must be valid.
                .overrideAuthority("localhost")
                .usePlaintext()
                // gRPC asks every transport for TCP keep-alive; a unix socket has none (and Netty would warn).
                .withOption(ChannelOption.SO_KEEPALIVE, null)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .build();
        this.runtimeService = MutinyRuntimeServiceGrpc.newMutinyStub(channel);
        this.imageService = MutinyImageServiceGrpc.newMutinyStub(channel);
    }

    /** Connects (lazily, on the first call) to the runtime listening on {@code socket}, with default timeouts. */
    public static CriRuntime connect(Path socket) {
        return connect(CriRuntimeSettings.of(socket));
    }

    public static CriRuntime connect(CriRuntimeSettings settings) {
        return new CriRuntime(settings);
    }

    public CriRuntimeSettings settings() {
        return settings;
    }

    @Override
    public String runtimeName() {
        return "unix://" + settings.socket();
    }

    // --- runtime

    @Override
    public Uni<VersionResponse> version(VersionRequest request) {
        return runtime("Version", settings.requestTimeout(), s -> s.version(request));
    }

    @Override
    public Uni<StatusResponse> status(StatusRequest request) {
        return runtime("Status", settings.requestTimeout(), s -> s.status(request));
    }

    // --- pod sandboxes

    @Override
    public Uni<RunPodSandboxResponse> runPodSandbox(RunPodSandboxRequest request) {
        return runtime("RunPodSandbox", settings.requestTimeout(), s -> s.runPodSandbox(request));
    }

    @Override
    public Uni<StopPodSandboxResponse> stopPodSandbox(StopPodSandboxRequest request) {
        return runtime("StopPodSandbox", settings.requestTimeout(), s -> s.stopPodSandbox(request));
    }

    @Override
    public Uni<RemovePodSandboxResponse> removePodSandbox(RemovePodSandboxRequest request) {
        return runtime("RemovePodSandbox", settings.requestTimeout(), s -> s.removePodSandbox(request));
    }

    @Override
    public Uni<PodSandboxStatusResponse> podSandboxStatus(PodSandboxStatusRequest request) {
        return runtime("PodSandboxStatus", settings.requestTimeout(), s -> s.podSandboxStatus(request));
    }

    @Override
    public Uni<ListPodSandboxResponse> listPodSandbox(ListPodSandboxRequest request) {
        return runtime("ListPodSandbox", settings.requestTimeout(), s -> s.listPodSandbox(request));
    }

    // --- containers

    @Override
    public Uni<CreateContainerResponse> createContainer(CreateContainerRequest request) {
        return runtime("CreateContainer", settings.requestTimeout(), s -> s.createContainer(request));
    }

    @Override
    public Uni<StartContainerResponse> startContainer(StartContainerRequest request) {
        return runtime("StartContainer", settings.requestTimeout(), s -> s.startContainer(request));
    }

    @Override
    public Uni<StopContainerResponse> stopContainer(StopContainerRequest request) {
        Duration deadline = settings.requestTimeout().plusSeconds(Math.max(0, request.getTimeout()));
        return runtime("StopContainer", deadline, s -> s.stopContainer(request));
    }

    @Override
    public Uni<RemoveContainerResponse> removeContainer(RemoveContainerRequest request) {
        return runtime("RemoveContainer", settings.requestTimeout(), s -> s.removeContainer(request));
    }

    @Override
    public Uni<ListContainersResponse> listContainers(ListContainersRequest request) {
        return runtime("ListContainers", settings.requestTimeout(), s -> s.listContainers(request));
    }

    @Override
    public Uni<ContainerStatusResponse> containerStatus(ContainerStatusRequest request) {
        return runtime("ContainerStatus", settings.requestTimeout(), s -> s.containerStatus(request));
    }

    @Override
    public Uni<UpdateContainerResourcesResponse> updateContainerResources(UpdateContainerResourcesRequest request) {
        return runtime("UpdateContainerResources", settings.requestTimeout(), s -> s.updateContainerResources(request));
    }

    @Override
    public Uni<ReopenContainerLogResponse> reopenContainerLog(ReopenContainerLogRequest request) {
        return runtime("ReopenContainerLog", settings.requestTimeout(), s -> s.reopenContainerLog(request));
    }

    @Override
    public Uni<ContainerStatsResponse> containerStats(ContainerStatsRequest request) {
        return runtime("ContainerStats", settings.requestTimeout(), s -> s.containerStats(request));
    }

    @Override
    public Uni<ListContainerStatsResponse> listContainerStats(ListContainerStatsRequest request) {
        return runtime("ListContainerStats", settings.requestTimeout(), s -> s.listContainerStats(request));
    }

    // --- exec, attach, port-forward

    @Override
    public Uni<ExecSyncResponse> execSync(ExecSyncRequest request) {
        // As the kubelet: no deadline for a command without timeout, else its timeout plus the request timeout.
        Duration deadline = request.getTimeout() <= 0 ? null : settings.requestTimeout().plusSeconds(request.getTimeout());
        return runtime("ExecSync", deadline, s -> s.execSync(request));
    }

    @Override
    public Uni<ExecResponse> exec(ExecRequest request) {
        return runtime("Exec", settings.requestTimeout(), s -> s.exec(request));
    }

    @Override
    public Uni<AttachResponse> attach(AttachRequest request) {
        return runtime("Attach", settings.requestTimeout(), s -> s.attach(request));
    }

    @Override
    public Uni<PortForwardResponse> portForward(PortForwardRequest request) {
        return runtime("PortForward", settings.requestTimeout(), s -> s.portForward(request));
    }

    // --- images

    @Override
    public Uni<ListImagesResponse> listImages(ListImagesRequest request) {
        return image("ListImages", settings.requestTimeout(), s -> s.listImages(request));
    }

    @Override
    public Uni<ImageStatusResponse> imageStatus(ImageStatusRequest request) {
        return image("ImageStatus", settings.requestTimeout(), s -> s.imageStatus(request));
    }

    @Override
    public Uni<PullImageResponse> pullImage(PullImageRequest request) {
        return image("PullImage", settings.imagePullTimeout(), s -> s.pullImage(request));
    }

    @Override
    public Uni<RemoveImageResponse> removeImage(RemoveImageRequest request) {
        return image("RemoveImage", settings.requestTimeout(), s -> s.removeImage(request));
    }

    @Override
    public Uni<ImageFsInfoResponse> imageFsInfo(ImageFsInfoRequest request) {
        return image("ImageFsInfo", settings.requestTimeout(), s -> s.imageFsInfo(request));
    }

    // --- lifecycle

    /** Ends the connection: calls still under way fail with {@code UNAVAILABLE}; waits briefly for the event loop. */
    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private <T> Uni<T> runtime(String operation, Duration deadline, Function<MutinyRuntimeServiceStub, Uni<T>> rpc) {
        return call(operation, runtimeService, deadline, rpc);
    }

    private <T> Uni<T> image(String operation, Duration deadline, Function<MutinyImageServiceStub, Uni<T>> rpc) {
        return call(operation, imageService, deadline, rpc);
    }

    // The deadline is fixed when the Uni is subscribed, not when it is built, so a Uni kept for a retry
    // gets a fresh deadline each time.
    private static <S extends AbstractStub<S>, T> Uni<T> call(String operation, S stub, Duration deadline,
            Function<S, Uni<T>> rpc) {
        return Uni.createFrom()
                .deferred(() -> rpc.apply(deadline == null ? stub : stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)))
                .onFailure().transform(failure -> toRuntimeCallException(operation, failure));
    }

    static RuntimeCallException toRuntimeCallException(String operation, Throwable failure) {
        if (failure instanceof RuntimeCallException known) {
            return known;
        }
        Status status = failure instanceof StatusRuntimeException sre ? sre.getStatus()
                : failure instanceof StatusException se ? se.getStatus()
                : Status.fromThrowable(failure);
        return new RuntimeCallException(operation, status.getCode(), status.getDescription(), failure);
    }
}
