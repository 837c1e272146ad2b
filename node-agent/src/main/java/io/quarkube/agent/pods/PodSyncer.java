package io.quarkube.agent.pods;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkube.agent.config.AgentConfig;
import io.quarkube.agent.cri.v1.AuthConfig;
import io.quarkube.agent.cri.v1.ContainerConfig;
import io.quarkube.agent.cri.v1.ContainerFilter;
import io.quarkube.agent.cri.v1.ContainerStatusRequest;
import io.quarkube.agent.cri.v1.CreateContainerRequest;
import io.quarkube.agent.cri.v1.ImageSpec;
import io.quarkube.agent.cri.v1.ImageStatusRequest;
import io.quarkube.agent.cri.v1.ListContainersRequest;
import io.quarkube.agent.cri.v1.ListPodSandboxRequest;
import io.quarkube.agent.cri.v1.PodSandbox;
import io.quarkube.agent.cri.v1.PodSandboxConfig;
import io.quarkube.agent.cri.v1.PodSandboxFilter;
import io.quarkube.agent.cri.v1.PodSandboxState;
import io.quarkube.agent.cri.v1.PodSandboxStatusRequest;
import io.quarkube.agent.cri.v1.PullImageRequest;
import io.quarkube.agent.cri.v1.RemoveContainerRequest;
import io.quarkube.agent.cri.v1.RemovePodSandboxRequest;
import io.quarkube.agent.cri.v1.RunPodSandboxRequest;
import io.quarkube.agent.cri.v1.StartContainerRequest;
import io.quarkube.agent.cri.v1.StopContainerRequest;
import io.quarkube.agent.cri.v1.StopPodSandboxRequest;
import io.quarkube.agent.dns.PodDnsConfigs;
import io.quarkube.agent.probes.ContainerProbes;
import io.quarkube.agent.probes.HandlerRunner;
import io.quarkube.agent.probes.LifecycleHooks;
import io.quarkube.agent.runtime.ContainerRuntime;
import io.quarkube.agent.runtime.RuntimeCallException;
import io.smallrye.mutiny.Uni;

/**
 * The kubelet's syncPod for the pods of one node: level-triggered, it compares a pod with what
 * the runtime shows and takes the next steps (pull, sandbox, init containers in order, containers,
 * restarts with back-off, termination), then reports status through pods/status. Blocking; runs on
 * a pod worker, one call per pod at a time.
 */
public final class PodSyncer {

    /** What the worker does next with the pod. */
    public record Result(Optional<Duration> requeueAfter) {
        static Result after(Duration delay) {
            return new Result(Optional.of(delay));
        }

        static Result forget() {
            return new Result(Optional.empty());
        }
    }

    private static final Logger LOG = Logger.getLogger(PodSyncer.class);
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(5);
    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

    private final String nodeName;
    private final String hostIp;
    private final Map<String, Quantity> nodeAllocatable;
    private final ContainerRuntime runtime;
    /** The runtime's name from its Version answer ("containerd"), the scheme of container IDs. */
    private final String runtimeName;
    private final KubernetesClient client;
    private final EventRecorder events;
    private final PodVolumes volumes;
    private final EnvSources sources;
    private final ContainerProbes probes;
    private final LifecycleHooks hooks;
    private final AgentConfig.PodSettings config;
    private final Clock clock;
    private final String logRoot;
    private final RestartBackoff backoff;
    /**
     * Whether {@link #relist()} runs for this node (the kubelet's PLEG) and wakes a pod when its containers
     * change; then running pods without probes need no polling of their own.
     */
    private final boolean relisted;
    /** Each pod's resolv.conf, from its dnsPolicy and dnsConfig. */
    private final PodDnsConfigs dns;
    private final Map<String, String> lastWrittenStatus = new ConcurrentHashMap<>();
    /** Each pod's sandbox and container states as its last sync read them, in the relist's form. */
    private final Map<String, String> observedStates = new ConcurrentHashMap<>();
    /** Each pod's newest ready sandbox and its IP, which stays the same for the sandbox's life: one PodSandboxStatus per sandbox. */
    private final Map<String, ObservedPod.Sandbox> sandboxAddresses = new ConcurrentHashMap<>();
    /** Back-off events already recorded, by key and delay, so one back-off period gives one event. */
    private final Set<String> reportedBackoffs = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> lastPullFailure = new ConcurrentHashMap<>();

    public PodSyncer(String nodeName, String hostIp, Map<String, Quantity> nodeAllocatable, ContainerRuntime runtime,
            String runtimeName, KubernetesClient client, EventRecorder events, PodVolumes volumes, EnvSources sources,
            ContainerProbes probes, LifecycleHooks hooks, AgentConfig.PodSettings config, Clock clock, String logRoot,
            boolean relisted, PodDnsConfigs dns) {
        this.dns = dns;
        this.nodeName = nodeName;
        this.hostIp = hostIp;
        this.nodeAllocatable = nodeAllocatable;
        this.runtime = runtime;
        this.runtimeName = runtimeName;
        this.client = client;
        this.events = events;
        this.volumes = volumes;
        this.sources = sources;
        this.probes = probes;
        this.hooks = hooks;
        this.config = config;
        this.clock = clock;
        this.logRoot = logRoot;
        this.relisted = relisted;
        this.backoff = new RestartBackoff(config.initialBackoff(), config.maxBackoff());
    }

    public String nodeName() {
        return nodeName;
    }

    public Result sync(Pod pod) {
        String uid = pod.getMetadata().getUid();
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            terminate(pod);
            deleteFromApi(pod);
            return Result.forget();
        }
        ObservedPod observed = observe(uid);
        if (pod.getStatus() != null && PodStatuses.isTerminal(pod.getStatus().getPhase())) {
            stopEverything(pod, observed, 0);
            return Result.after(config.resyncInterval());
        }
        Map<String, PodStatuses.Waiting> waiting = new HashMap<>();
        List<Duration> retries = new ArrayList<>();
        ContainerConfigs.PodContext context = context(pod, observed);
        try {
            context = withVolumes(pod, context);
            if (observed.sandbox().filter(ObservedPod.Sandbox::ready).isEmpty()) {
                // A new sandbox has no containers yet: what the runtime would show of it is known.
                observed = new ObservedPod(Optional.of(startSandbox(pod, observed)), List.of());
                context = withVolumes(pod, context(pod, observed));
            }
            advanceContainers(pod, observed, context, waiting, retries);
        } catch (ContainerConfigError e) {
            // Volumes that cannot be built: every container waits, as with FailedMount.
            events.record(pod, null, false, EventRecorder.WARNING, "FailedMount", e.getMessage());
            retries.add(config.initialBackoff());
        } catch (RuntimeCallException e) {
            LOG.warnf("pod %s/%s: %s", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), e.getMessage());
            retries.add(Duration.ofSeconds(2));
        }
        observed = observe(uid);
        String podIp = observed.sandbox().map(ObservedPod.Sandbox::ip).orElse("");
        ContainerProbes.Verdict verdict = probes.probe(pod, observed, podIp, clock.instant(), events);
        if (!verdict.kills().isEmpty()) {
            for (ContainerProbes.Kill kill : verdict.kills()) {
                Container container = pod.getSpec().getContainers().stream().filter(c -> c.getName().equals(kill.containerName())).findFirst().orElseThrow();
                events.record(pod, kill.containerName(), false, EventRecorder.NORMAL, "Killing",
                        "Container " + kill.containerName() + " failed " + kill.probeKind() + " probe, will be restarted");
                kill(pod, container, kill.containerId(), podIp, gracePeriod(pod));
            }
            observed = observe(uid);
        }
        PodStatus status = PodStatuses.status(pod, new PodStatuses.Inputs(observed, waiting, verdict.ready(), verdict.started(),
                hostIp, runtimeName, clock.instant()));
        writeStatus(pod, status);
        if (PodStatuses.isTerminal(status.getPhase())) {
            stopEverything(pod, observed, 0);
            return Result.after(config.resyncInterval());
        }
        boolean active = observed.containers().stream().anyMatch(c -> !c.exited());
        boolean poll = active && (!relisted || hasProbes(pod));
        Duration next = poll ? config.runningPollInterval() : config.resyncInterval();
        for (Duration retry : retries) {
            if (retry.compareTo(next) < 0) {
                next = retry;
            }
        }
        return Result.after(next);
    }

    /** The pod object is gone from the API: whatever still runs for it goes at once. */
    public void forget(String uid, String namespace, String name) {
        ObservedPod observed = observe(uid);
        for (ObservedPod.Instance instance : observed.containers()) {
            await(runtime.stopContainer(StopContainerRequest.newBuilder().setContainerId(instance.id()).setTimeout(0).build()));
            await(runtime.removeContainer(RemoveContainerRequest.newBuilder().setContainerId(instance.id()).build()));
        }
        for (PodSandbox sandbox : sandboxes(uid)) {
            await(runtime.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(sandbox.getId()).build()));
            await(runtime.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandbox.getId()).build()));
        }
        volumes.cleanUp(uid);
        backoff.forgetPrefix(uid + "/");
        probes.forget(uid);
        reportedBackoffs.removeIf(key -> key.startsWith(uid + "/"));
        lastWrittenStatus.remove(uid);
        observedStates.remove(uid);
        sandboxAddresses.remove(uid);
    }

    /** Whether the pod's last sync read the sandbox and container states this relist shows (so it need not run again). */
    public boolean hasObserved(String uid, Relisted relisted) {
        return relisted.states().equals(observedStates.get(uid));
    }

    /** Whether the pod's status is the one this node last wrote for it (the informer's echo of that write). */
    public boolean isOwnStatus(Pod pod) {
        String written = lastWrittenStatus.get(pod.getMetadata().getUid());
        return written != null && pod.getStatus() != null && written.equals(client.getKubernetesSerialization().asJson(pod.getStatus()));
    }

    private static boolean hasProbes(Pod pod) {
        return pod.getSpec().getContainers().stream()
                .anyMatch(c -> c.getLivenessProbe() != null || c.getReadinessProbe() != null || c.getStartupProbe() != null);
    }

    /** A pod as one relist sees it: its name, and the state of its sandboxes and containers. */
    public record Relisted(String namespace, String name, String states) {
    }

    /**
     * The kubelet's PLEG relist: two calls for the whole node (ListPodSandbox, ListContainers) give every
     * pod's sandbox and container states, by pod UID; a pod whose states differ from the last relist is synced.
     */
    public Map<String, Relisted> relist() {
        Map<String, PodSandbox> sandboxes = new HashMap<>();
        for (PodSandbox sandbox : await(runtime.listPodSandbox(ListPodSandboxRequest.newBuilder().setFilter(PodSandboxFilter.newBuilder()
                .putLabelSelector(PodLabels.NODE_NAME, nodeName)).build())).getItemsList()) {
            sandboxes.put(sandbox.getId(), sandbox);
        }
        Map<String, List<PodSandbox>> sandboxesByPod = new HashMap<>();
        for (PodSandbox sandbox : sandboxes.values()) {
            sandboxesByPod.computeIfAbsent(sandbox.getLabelsMap().getOrDefault(PodLabels.POD_UID, ""), uid -> new ArrayList<>()).add(sandbox);
        }
        Map<String, List<io.quarkube.agent.cri.v1.Container>> containersByPod = new HashMap<>();
        for (var container : await(runtime.listContainers(ListContainersRequest.getDefaultInstance())).getContainersList()) {
            PodSandbox sandbox = sandboxes.get(container.getPodSandboxId());
            if (sandbox != null) {
                containersByPod.computeIfAbsent(sandbox.getLabelsMap().getOrDefault(PodLabels.POD_UID, ""), uid -> new ArrayList<>()).add(container);
            }
        }
        Map<String, Relisted> pods = new HashMap<>();
        sandboxesByPod.forEach((uid, podSandboxes) -> pods.put(uid, new Relisted(podSandboxes.get(0).getMetadata().getNamespace(),
                podSandboxes.get(0).getMetadata().getName(), states(podSandboxes, containersByPod.getOrDefault(uid, List.of())))));
        return pods;
    }

    /** A pod's sandbox and container states in one comparable string: ID=STATE of each, ordered by ID. */
    static String states(List<PodSandbox> sandboxes, List<io.quarkube.agent.cri.v1.Container> containers) {
        java.util.TreeMap<String, String> states = new java.util.TreeMap<>();
        sandboxes.forEach(sandbox -> states.put(sandbox.getId(), sandbox.getState().name()));
        containers.forEach(container -> states.put(container.getId(), container.getState().name()));
        return states.toString();
    }

    /** UIDs of pods this node's sandboxes belong to (to remove those of pods that no longer exist). */
    public Set<String> podsInRuntime() {
        return Set.copyOf(await(runtime.listPodSandbox(ListPodSandboxRequest.newBuilder().setFilter(PodSandboxFilter.newBuilder()
                .putLabelSelector(PodLabels.NODE_NAME, nodeName)).build())).getItemsList().stream()
                .map(s -> s.getLabelsMap().get(PodLabels.POD_UID)).filter(uid -> uid != null).toList());
    }

    private void advanceContainers(Pod pod, ObservedPod observed, ContainerConfigs.PodContext context,
            Map<String, PodStatuses.Waiting> waiting, List<Duration> retries) {
        String restartPolicy = pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
        for (Container init : pod.getSpec().getInitContainers()) {
            Optional<ObservedPod.Instance> latest = observed.latest(init.getName());
            if (latest.isEmpty()) {
                startContainer(pod, init, true, 0, observed, context, waiting, retries);
                return;
            }
            if (!latest.get().exited()) {
                return;
            }
            if (latest.get().exitCode() == 0) {
                continue;
            }
            if (!restartPolicy.equals("Never")) {
                restartWithBackoff(pod, init, true, latest.get(), observed, context, waiting, retries);
            }
            return;
        }
        for (Container container : pod.getSpec().getContainers()) {
            Optional<ObservedPod.Instance> latest = observed.latest(container.getName());
            if (latest.isEmpty()) {
                startContainer(pod, container, false, 0, observed, context, waiting, retries);
                continue;
            }
            ObservedPod.Instance instance = latest.get();
            if (!instance.exited()) {
                continue;
            }
            boolean restart = restartPolicy.equals("Always") || (restartPolicy.equals("OnFailure") && instance.exitCode() != 0);
            if (restart) {
                restartWithBackoff(pod, container, false, instance, observed, context, waiting, retries);
            }
        }
    }

    private void restartWithBackoff(Pod pod, Container container, boolean init, ObservedPod.Instance exited, ObservedPod observed,
            ContainerConfigs.PodContext context, Map<String, PodStatuses.Waiting> waiting, List<Duration> retries) {
        String key = pod.getMetadata().getUid() + "/" + container.getName();
        Instant now = clock.instant();
        Instant finished = Instant.ofEpochSecond(0, exited.finishedAt());
        Duration remaining = backoff.remaining(key, finished, now);
        if (!remaining.isZero()) {
            Duration delay = backoff.delay(key);
            waiting.put(container.getName(), new PodStatuses.Waiting("CrashLoopBackOff", "back-off " + format(delay)
                    + " restarting failed container=" + container.getName() + " pod=" + podDescription(pod)));
            if (reportedBackoffs.add(key + "/" + exited.id())) {
                events.record(pod, container.getName(), init, EventRecorder.WARNING, "BackOff",
                        "Back-off restarting failed container " + container.getName() + " in pod " + podDescription(pod));
            }
            retries.add(remaining);
            return;
        }
        backoff.next(key, now);
        // Keep the instance that just ended (lastState) and drop older ones, as the kubelet's garbage collection does.
        for (ObservedPod.Instance old : observed.instances(container.getName())) {
            if (old.attempt() < exited.attempt()) {
                await(runtime.removeContainer(RemoveContainerRequest.newBuilder().setContainerId(old.id()).build()));
            }
        }
        startContainer(pod, container, init, exited.attempt() + 1, observed, context, waiting, retries);
    }

    private void startContainer(Pod pod, Container container, boolean init, int attempt, ObservedPod observed,
            ContainerConfigs.PodContext context, Map<String, PodStatuses.Waiting> waiting, List<Duration> retries) {
        if (!ensureImage(pod, container, init, waiting, retries)) {
            return;
        }
        ObservedPod.Sandbox sandbox = observed.sandbox().orElseThrow();
        ContainerConfig containerConfig;
        try {
            containerConfig = ContainerConfigs.containerConfig(pod, container, attempt, context);
        } catch (ContainerConfigError e) {
            waiting.put(container.getName(), new PodStatuses.Waiting("CreateContainerConfigError", e.getMessage()));
            events.record(pod, container.getName(), init, EventRecorder.WARNING, "Failed", "Error: " + e.getMessage());
            retries.add(config.initialBackoff());
            return;
        }
        String messagePath = container.getTerminationMessagePath();
        if (messagePath != null && !messagePath.isEmpty()) {
            // The kubelet's termination-log: a file of the agent's, mounted where the container writes its last words.
            Path file = volumes.terminationMessageFile(pod.getMetadata().getUid(), container.getName(), attempt);
            containerConfig = containerConfig.toBuilder().addMounts(io.quarkube.agent.cri.v1.Mount.newBuilder()
                    .setContainerPath(messagePath).setHostPath(file.toString())).build();
        }
        PodSandboxConfig sandboxConfig = SandboxConfigs.sandboxConfig(pod, nodeName, sandbox.attempt(), logRoot, config.cgroupRoot(), dns.forPod(pod));
        String id;
        try {
            id = await(runtime.createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(sandbox.id())
                    .setConfig(containerConfig).setSandboxConfig(sandboxConfig).build())).getContainerId();
        } catch (RuntimeCallException e) {
            waiting.put(container.getName(), new PodStatuses.Waiting("CreateContainerError", e.runtimeMessage()));
            events.record(pod, container.getName(), init, EventRecorder.WARNING, "Failed", "Error: " + e.runtimeMessage());
            retries.add(config.initialBackoff());
            return;
        }
        events.record(pod, container.getName(), init, EventRecorder.NORMAL, "Created", "Created container: " + container.getName());
        try {
            await(runtime.startContainer(StartContainerRequest.newBuilder().setContainerId(id).build()));
        } catch (RuntimeCallException e) {
            waiting.put(container.getName(), new PodStatuses.Waiting("RunContainerError", e.runtimeMessage()));
            events.record(pod, container.getName(), init, EventRecorder.WARNING, "Failed", "Error: " + e.runtimeMessage());
            retries.add(config.initialBackoff());
            return;
        }
        events.record(pod, container.getName(), init, EventRecorder.NORMAL, "Started", "Started container " + container.getName());
        if (LifecycleHooks.hasPostStart(container)) {
            HandlerRunner.Outcome outcome = hooks.postStart(container, id, context.podIp());
            if (!outcome.success()) {
                events.record(pod, container.getName(), init, EventRecorder.WARNING, "FailedPostStartHook", outcome.message());
                kill(pod, container, id, context.podIp(), gracePeriod(pod));
            }
        }
    }

    /** Stops one container the kubelet's way: its preStop hook within the grace period, then SIGTERM and, after the rest of it, SIGKILL. */
    private void kill(Pod pod, Container container, String containerId, String podIp, long graceSeconds) {
        long remaining = graceSeconds;
        if (graceSeconds > 0 && LifecycleHooks.hasPreStop(container)) {
            long started = System.nanoTime();
            HandlerRunner.Outcome outcome = hooks.preStop(container, containerId, podIp, Duration.ofSeconds(graceSeconds));
            if (!outcome.success()) {
                events.record(pod, container.getName(), false, EventRecorder.WARNING, "FailedPreStopHook", outcome.message());
            }
            // The kubelet leaves at least 2 s for SIGTERM after a preStop hook.
            remaining = Math.max(2, graceSeconds - Duration.ofNanos(System.nanoTime() - started).toSeconds());
        }
        await(runtime.stopContainer(StopContainerRequest.newBuilder().setContainerId(containerId).setTimeout(remaining).build()));
    }

    static long gracePeriod(Pod pod) {
        Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
        if (grace == null) {
            grace = pod.getSpec().getTerminationGracePeriodSeconds();
        }
        return grace == null ? 30 : grace;
    }

    /** Pulls per imagePullPolicy; false (with the waiting reason set) when the image is not there. */
    private boolean ensureImage(Pod pod, Container container, boolean init, Map<String, PodStatuses.Waiting> waiting, List<Duration> retries) {
        String image = container.getImage();
        String policy = container.getImagePullPolicy() == null ? defaultPullPolicy(image) : container.getImagePullPolicy();
        ImageSpec spec = ImageSpec.newBuilder().setImage(image).build();
        if (!policy.equals("Always")) {
            boolean present = await(runtime.imageStatus(ImageStatusRequest.newBuilder().setImage(spec).build())).hasImage();
            if (present) {
                events.record(pod, container.getName(), init, EventRecorder.NORMAL, "Pulled", "Container image \"" + image + "\" already present on machine");
                return true;
            }
            if (policy.equals("Never")) {
                String message = "Container image \"" + image + "\" is not present with pull policy of Never";
                waiting.put(container.getName(), new PodStatuses.Waiting("ErrImageNeverPull", message));
                events.record(pod, container.getName(), init, EventRecorder.WARNING, "ErrImageNeverPull", message);
                retries.add(config.initialBackoff());
                return false;
            }
        }
        String key = pod.getMetadata().getUid() + "/pull/" + container.getName();
        Instant now = clock.instant();
        Instant lastFailure = lastPullFailure.get(key);
        Duration remaining = lastFailure == null ? Duration.ZERO : backoff.remaining(key, lastFailure, now);
        if (!remaining.isZero()) {
            String message = "Back-off pulling image \"" + image + "\"";
            waiting.put(container.getName(), new PodStatuses.Waiting("ImagePullBackOff", message));
            if (reportedBackoffs.add(key + "/" + lastFailure)) {
                events.record(pod, container.getName(), init, EventRecorder.NORMAL, "BackOff", message);
            }
            retries.add(remaining);
            return false;
        }
        events.record(pod, container.getName(), init, EventRecorder.NORMAL, "Pulling", "Pulling image \"" + image + "\"");
        long started = System.nanoTime();
        RuntimeCallException failure = null;
        for (Optional<AuthConfig> auth : credentials(pod, image)) {
            PullImageRequest.Builder request = PullImageRequest.newBuilder().setImage(spec);
            auth.ifPresent(request::setAuth);
            try {
                await(runtime.pullImage(request.build()));
                failure = null;
                break;
            } catch (RuntimeCallException e) {
                failure = e; // the next credential may work; the kubelet reports the last failure
            }
        }
        if (failure != null) {
            RuntimeCallException e = failure;
            lastPullFailure.put(key, clock.instant());
            backoff.next(key, clock.instant());
            String message = "Failed to pull image \"" + image + "\": " + e.runtimeMessage();
            waiting.put(container.getName(), new PodStatuses.Waiting("ErrImagePull", message));
            events.record(pod, container.getName(), init, EventRecorder.WARNING, "Failed", message);
            events.record(pod, container.getName(), init, EventRecorder.WARNING, "Failed", "Error: ErrImagePull");
            // Look again soon, so the status shows ImagePullBackOff while the back-off lasts.
            retries.add(config.runningPollInterval());
            return false;
        }
        lastPullFailure.remove(key);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        events.record(pod, container.getName(), init, EventRecorder.NORMAL, "Pulled",
                "Successfully pulled image \"" + image + "\" in " + format(took) + " (" + format(took) + " including waiting)");
        return true;
    }

    /**
     * The credentials to pull image with, each to be tried in turn: those of the pod's imagePullSecrets that
     * apply to the image's registry, else one anonymous attempt. Secrets that cannot be read are reported
     * with the kubelet's event and skipped.
     */
    private List<Optional<AuthConfig>> credentials(Pod pod, String image) {
        List<LocalObjectReference> references = pod.getSpec().getImagePullSecrets();
        if (references == null || references.isEmpty()) {
            return List.of(Optional.empty());
        }
        List<Secret> secrets = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (LocalObjectReference reference : references) {
            sources.secret(pod.getMetadata().getNamespace(), reference.getName())
                    .ifPresentOrElse(secrets::add, () -> missing.add(reference.getName()));
        }
        if (!missing.isEmpty()) {
            events.record(pod, null, false, EventRecorder.WARNING, "FailedToRetrieveImagePullSecret",
                    "Unable to retrieve some image pull secrets (" + String.join(", ", missing) + "); attempting to pull the image may not succeed.");
        }
        List<Optional<AuthConfig>> attempts = ImagePullCredentials.forImage(image, secrets).stream().map(Optional::of).toList();
        return attempts.isEmpty() ? List.of(Optional.empty()) : attempts;
    }

    /** The API server's default: Always for :latest or no tag, else IfNotPresent. */
    static String defaultPullPolicy(String image) {
        if (image.contains("@")) {
            return "IfNotPresent";
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        boolean tagged = colon > slash;
        return !tagged || image.endsWith(":latest") ? "Always" : "IfNotPresent";
    }

    /** Runs the pod's next sandbox; returns it with its IP. */
    private ObservedPod.Sandbox startSandbox(Pod pod, ObservedPod observed) {
        int attempt = observed.sandbox().map(s -> s.attempt() + 1).orElse(0);
        observed.sandbox().ifPresent(old -> {
            events.record(pod, null, false, EventRecorder.NORMAL, "SandboxChanged", "Pod sandbox changed, it will be killed and re-created.");
            await(runtime.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(old.id()).build()));
        });
        PodSandboxConfig sandboxConfig = SandboxConfigs.sandboxConfig(pod, nodeName, attempt, logRoot, config.cgroupRoot(), dns.forPod(pod));
        try {
            Files.createDirectories(Path.of(sandboxConfig.getLogDirectory()));
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debugf("cannot create log directory %s: %s", sandboxConfig.getLogDirectory(), e.getMessage());
        }
        String id;
        try {
            id = await(runtime.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(sandboxConfig).build())).getPodSandboxId();
        } catch (RuntimeCallException e) {
            events.record(pod, null, false, EventRecorder.WARNING, "FailedCreatePodSandBox",
                    "Failed to create pod sandbox: " + e.runtimeMessage());
            throw e;
        }
        var status = await(runtime.podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(id).build())).getStatus();
        boolean ready = status.getState() == PodSandboxState.SANDBOX_READY;
        ObservedPod.Sandbox sandbox = new ObservedPod.Sandbox(id, ready, ready ? status.getNetwork().getIp() : "", attempt);
        if (ready) {
            sandboxAddresses.put(pod.getMetadata().getUid(), sandbox);
        }
        return sandbox;
    }

    /** Graceful termination: every running container is stopped with the grace period, in parallel; then the sandbox goes. */
    void terminate(Pod pod) {
        ObservedPod observed = observe(pod.getMetadata().getUid());
        stopEverything(pod, observed, gracePeriod(pod));
        forget(pod.getMetadata().getUid(), pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    }

    private void stopEverything(Pod pod, ObservedPod observed, long graceSeconds) {
        List<Uni<Void>> stops = new ArrayList<>();
        String podIp = observed.sandbox().map(ObservedPod.Sandbox::ip).orElse("");
        for (ObservedPod.Instance instance : observed.containers()) {
            if (instance.exited()) {
                continue;
            }
            boolean init = pod.getSpec().getInitContainers().stream().anyMatch(c -> c.getName().equals(instance.name()));
            Optional<Container> container = (init ? pod.getSpec().getInitContainers() : pod.getSpec().getContainers()).stream()
                    .filter(c -> c.getName().equals(instance.name())).findFirst();
            events.record(pod, instance.name(), init, EventRecorder.NORMAL, "Killing", "Stopping container " + instance.name());
            if (container.isPresent() && graceSeconds > 0 && LifecycleHooks.hasPreStop(container.get())) {
                // preStop hooks of all containers run at the same time, each within the grace period.
                stops.add(Uni.createFrom().<Void>item(() -> {
                    kill(pod, container.get(), instance.id(), podIp, graceSeconds);
                    return null;
                }).runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool()));
            } else {
                stops.add(runtime.stopContainer(StopContainerRequest.newBuilder().setContainerId(instance.id()).setTimeout(graceSeconds).build())
                        .replaceWithVoid());
            }
        }
        if (!stops.isEmpty()) {
            Uni.join().all(stops).andCollectFailures().await().atMost(Duration.ofSeconds(graceSeconds).plus(CALL_TIMEOUT));
        }
        observed.sandbox().filter(ObservedPod.Sandbox::ready).ifPresent(sandbox ->
                await(runtime.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(sandbox.id()).build())));
    }

    private void deleteFromApi(Pod pod) {
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .withGracePeriod(0).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private void writeStatus(Pod pod, PodStatus status) {
        String json = client.getKubernetesSerialization().asJson(status);
        String uid = pod.getMetadata().getUid();
        if (json.equals(lastWrittenStatus.get(uid)) && pod.getStatus() != null
                && json.equals(client.getKubernetesSerialization().asJson(pod.getStatus()))) {
            return;
        }
        if (json.equals(lastWrittenStatus.get(uid))) {
            // Written already; the informer has not caught up yet.
            return;
        }
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .subresource("status").patch(MERGE, "{\"status\":" + json + "}");
            lastWrittenStatus.put(uid, json);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    /** The newest sandbox of the pod and all its containers, with their states, as the runtime has them now. */
    ObservedPod observe(String uid) {
        List<PodSandbox> sandboxes = sandboxes(uid);
        if (sandboxes.isEmpty()) {
            observedStates.put(uid, states(sandboxes, List.of()));
            return ObservedPod.none();
        }
        Optional<ObservedPod.Sandbox> sandbox = sandboxes.stream()
                .max((a, b) -> Long.compare(a.getCreatedAt(), b.getCreatedAt()))
                .map(s -> {
                    boolean ready = s.getState() == PodSandboxState.SANDBOX_READY;
                    if (!ready) {
                        return new ObservedPod.Sandbox(s.getId(), false, "", s.getMetadata().getAttempt());
                    }
                    ObservedPod.Sandbox known = sandboxAddresses.get(uid);
                    if (known != null && known.id().equals(s.getId())) {
                        return known;
                    }
                    String ip = await(runtime.podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(s.getId()).build()))
                            .getStatus().getNetwork().getIp();
                    ObservedPod.Sandbox found = new ObservedPod.Sandbox(s.getId(), true, ip, s.getMetadata().getAttempt());
                    sandboxAddresses.put(uid, found);
                    return found;
                });
        List<ObservedPod.Instance> instances = new ArrayList<>();
        Set<String> sandboxIds = new java.util.HashSet<>();
        sandboxes.forEach(s -> sandboxIds.add(s.getId()));
        var containers = await(runtime.listContainers(ListContainersRequest.newBuilder()
                .setFilter(ContainerFilter.newBuilder().putLabelSelector(PodLabels.POD_UID, uid)).build())).getContainersList();
        observedStates.put(uid, states(sandboxes, containers.stream().filter(c -> sandboxIds.contains(c.getPodSandboxId())).toList()));
        for (var container : containers) {
            if (sandbox.isEmpty() || !container.getPodSandboxId().equals(sandbox.get().id())) {
                continue;
            }
            try {
                var status = await(runtime.containerStatus(ContainerStatusRequest.newBuilder().setContainerId(container.getId()).build())).getStatus();
                instances.add(new ObservedPod.Instance(status.getMetadata().getName(), status.getId(), status.getMetadata().getAttempt(),
                        status.getState(), status.getCreatedAt(), status.getStartedAt(), status.getFinishedAt(), status.getExitCode(),
                        status.getReason(), TerminationMessages.message(status), status.getImageRef()));
            } catch (RuntimeCallException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        return new ObservedPod(sandbox, instances);
    }

    private List<PodSandbox> sandboxes(String uid) {
        return await(runtime.listPodSandbox(ListPodSandboxRequest.newBuilder()
                .setFilter(PodSandboxFilter.newBuilder().putLabelSelector(PodLabels.POD_UID, uid)).build())).getItemsList();
    }

    private ContainerConfigs.PodContext context(Pod pod, ObservedPod observed) {
        String podIp = observed.sandbox().map(ObservedPod.Sandbox::ip).orElse("");
        return new ContainerConfigs.PodContext(nodeName, hostIp, podIp, nodeAllocatable, Map.of(), sources, config.minOomScoreAdj());
    }

    private ContainerConfigs.PodContext withVolumes(Pod pod, ContainerConfigs.PodContext context) {
        Map<String, String> paths = volumes.prepare(pod, context);
        return context.withVolumes(paths);
    }

    static String podDescription(Pod pod) {
        return pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "(" + pod.getMetadata().getUid() + ")";
    }

    /** Go's Duration.String for whole and fractional seconds: "10s", "1m20s", "1.5s". */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        long minutes = millis / 60_000;
        long restMillis = millis % 60_000;
        String seconds = restMillis % 1000 == 0 ? Long.toString(restMillis / 1000)
                : String.format(java.util.Locale.ROOT, "%.3f", restMillis / 1000.0).replaceAll("0+$", "");
        return (minutes > 0 ? minutes + "m" : "") + seconds + "s";
    }

    private static <T> T await(Uni<T> call) {
        return call.await().atMost(CALL_TIMEOUT);
    }
}
