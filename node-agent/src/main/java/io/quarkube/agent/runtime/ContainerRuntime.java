package io.quarkube.agent.runtime;

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
import io.smallrye.mutiny.Uni;

/**
 * The container runtime as the kubelet logic sees it: one method per CRI runtime.v1 call, with the
 * CRI messages as arguments and results. A real runtime (containerd, CRI-O) is reached through
 * {@code io.quarkube.agent.cri.CriRuntime}; an in-memory runtime implements the same interface for
 * tests of the kubelet logic.
 *
 * <p>Every {@code Uni} is lazy: nothing is sent until it is subscribed. A failed call fails the
 * {@code Uni} with {@link RuntimeCallException}, whose {@link RuntimeCallException#code()} tells what
 * went wrong (e.g. {@code NOT_FOUND} for a container that is gone), so callers can react the way the
 * kubelet does.
 */
public interface ContainerRuntime {

    /**
     * Names this runtime in logs: the CRI endpoint (e.g. {@code unix:///run/containerd/containerd.sock})
     * or the name of an in-memory runtime. The runtime's own name and version come from {@link #version}.
     */
    String runtimeName();

    // --- runtime

    Uni<VersionResponse> version(VersionRequest request);

    Uni<StatusResponse> status(StatusRequest request);

    // --- pod sandboxes

    Uni<RunPodSandboxResponse> runPodSandbox(RunPodSandboxRequest request);

    /** Idempotent: stopping a stopped or missing sandbox succeeds. */
    Uni<StopPodSandboxResponse> stopPodSandbox(StopPodSandboxRequest request);

    /** Idempotent: removing a missing sandbox succeeds. */
    Uni<RemovePodSandboxResponse> removePodSandbox(RemovePodSandboxRequest request);

    Uni<PodSandboxStatusResponse> podSandboxStatus(PodSandboxStatusRequest request);

    Uni<ListPodSandboxResponse> listPodSandbox(ListPodSandboxRequest request);

    // --- containers

    Uni<CreateContainerResponse> createContainer(CreateContainerRequest request);

    Uni<StartContainerResponse> startContainer(StartContainerRequest request);

    /** Idempotent; the runtime kills the container once {@code timeout} seconds have passed. */
    Uni<StopContainerResponse> stopContainer(StopContainerRequest request);

    /** Idempotent: removing a missing container succeeds. */
    Uni<RemoveContainerResponse> removeContainer(RemoveContainerRequest request);

    Uni<ListContainersResponse> listContainers(ListContainersRequest request);

    Uni<ContainerStatusResponse> containerStatus(ContainerStatusRequest request);

    Uni<UpdateContainerResourcesResponse> updateContainerResources(UpdateContainerResourcesRequest request);

    Uni<ReopenContainerLogResponse> reopenContainerLog(ReopenContainerLogRequest request);

    Uni<ContainerStatsResponse> containerStats(ContainerStatsRequest request);

    Uni<ListContainerStatsResponse> listContainerStats(ListContainerStatsRequest request);

    // --- exec, attach, port-forward

    /** Runs a command to completion; a non-zero exit code is a result, not a failure. */
    Uni<ExecSyncResponse> execSync(ExecSyncRequest request);

    /** Returns the URL of the runtime's streaming server for this exec. */
    Uni<ExecResponse> exec(ExecRequest request);

    Uni<AttachResponse> attach(AttachRequest request);

    Uni<PortForwardResponse> portForward(PortForwardRequest request);

    // --- images

    Uni<ListImagesResponse> listImages(ListImagesRequest request);

    /** An image that is not present yields a response without {@code image}, not a failure. */
    Uni<ImageStatusResponse> imageStatus(ImageStatusRequest request);

    Uni<PullImageResponse> pullImage(PullImageRequest request);

    Uni<RemoveImageResponse> removeImage(RemoveImageRequest request);

    Uni<ImageFsInfoResponse> imageFsInfo(ImageFsInfoRequest request);
}
