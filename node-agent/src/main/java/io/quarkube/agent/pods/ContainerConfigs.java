package io.quarkube.agent.pods;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.quarkube.agent.cri.v1.Capability;
import io.quarkube.agent.cri.v1.ContainerConfig;
import io.quarkube.agent.cri.v1.ContainerMetadata;
import io.quarkube.agent.cri.v1.ImageSpec;
import io.quarkube.agent.cri.v1.Int64Value;
import io.quarkube.agent.cri.v1.KeyValue;
import io.quarkube.agent.cri.v1.LinuxContainerConfig;
import io.quarkube.agent.cri.v1.LinuxContainerResources;
import io.quarkube.agent.cri.v1.LinuxContainerSecurityContext;
import io.quarkube.agent.cri.v1.Mount;
import io.quarkube.agent.cri.v1.NamespaceMode;
import io.quarkube.agent.cri.v1.NamespaceOption;

/**
 * Pod spec → CRI ContainerConfig, as the kubelet's generateContainerConfig does it: command and
 * args with $(VAR) expansion, env (literal, valueFrom, envFrom, downward API), working dir,
 * mounts, resources as Linux cgroup settings and the basics of the security context. Pure: what
 * it reads from the API comes through {@link EnvSources}.
 */
public final class ContainerConfigs {

    /** The CFS period the kubelet uses, in microseconds. */
    static final long CPU_PERIOD = 100_000;
    static final long MIN_SHARES = 2;
    static final long MIN_QUOTA = 1_000;

    private ContainerConfigs() {
    }

    /**
     * Everything about the pod's surroundings the config needs.
     *
     * @param hostIp           the node's InternalIP, for status.hostIP
     * @param podIp            the sandbox's address, for status.podIP
     * @param nodeAllocatable  cpu and memory of the node, for resourceFieldRef limits without a limit
     * @param volumeHostPaths  volume name → directory or file on the host that backs it
     */
    public record PodContext(String nodeName, String hostIp, String podIp, Map<String, Quantity> nodeAllocatable,
            Map<String, String> volumeHostPaths, EnvSources sources, int minOomScoreAdj) {

        public PodContext withVolumes(Map<String, String> volumeHostPaths) {
            return new PodContext(nodeName, hostIp, podIp, nodeAllocatable, volumeHostPaths, sources, minOomScoreAdj);
        }
    }

    public static ContainerConfig containerConfig(Pod pod, Container container, int attempt, PodContext context) {
        Map<String, String> env = env(pod, container, context);
        ContainerConfig.Builder config = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(container.getName()).setAttempt(attempt))
                .setImage(ImageSpec.newBuilder().setImage(container.getImage()).setUserSpecifiedImage(container.getImage()))
                .addAllCommand(expand(container.getCommand(), env))
                .addAllArgs(expand(container.getArgs(), env))
                .setWorkingDir(container.getWorkingDir() == null ? "" : container.getWorkingDir())
                .putAllLabels(labels(pod, container))
                .putAllAnnotations(annotations(pod, container, attempt))
                .setLogPath(container.getName() + "/" + attempt + ".log")
                .setStdin(Boolean.TRUE.equals(container.getStdin()))
                .setStdinOnce(Boolean.TRUE.equals(container.getStdinOnce()))
                .setTty(Boolean.TRUE.equals(container.getTty()))
                .addAllMounts(mounts(container, context.volumeHostPaths()))
                .setLinux(LinuxContainerConfig.newBuilder()
                        .setResources(resources(pod, container, context.nodeAllocatable(), context.minOomScoreAdj()))
                        .setSecurityContext(securityContext(pod, container)));
        env.forEach((name, value) -> config.addEnvs(KeyValue.newBuilder().setKey(name).setValue(value)));
        return config.build();
    }

    static Map<String, String> labels(Pod pod, Container container) {
        return Map.of(
                PodLabels.POD_NAME, pod.getMetadata().getName(),
                PodLabels.POD_NAMESPACE, pod.getMetadata().getNamespace(),
                PodLabels.POD_UID, pod.getMetadata().getUid(),
                PodLabels.CONTAINER_NAME, container.getName());
    }

    static Map<String, String> annotations(Pod pod, Container container, int attempt) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(PodLabels.RESTART_COUNT, Integer.toString(attempt));
        Long grace = pod.getSpec().getTerminationGracePeriodSeconds();
        annotations.put(PodLabels.TERMINATION_GRACE_PERIOD, Long.toString(grace == null ? 30 : grace));
        if (container.getTerminationMessagePath() != null) {
            annotations.put(PodLabels.TERMINATION_MESSAGE_PATH, container.getTerminationMessagePath());
        }
        if (container.getTerminationMessagePolicy() != null) {
            annotations.put(PodLabels.TERMINATION_MESSAGE_POLICY, container.getTerminationMessagePolicy());
        }
        return annotations;
    }

    /**
     * The container's environment in the kubelet's order: envFrom sources first, then env entries,
     * later ones overriding earlier ones; $(VAR) in values refers to variables defined before.
     */
    static Map<String, String> env(Pod pod, Container container, PodContext context) {
        String namespace = pod.getMetadata().getNamespace();
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : container.getEnvFrom()) {
            String prefix = from.getPrefix() == null ? "" : from.getPrefix();
            if (from.getConfigMapRef() != null) {
                String name = from.getConfigMapRef().getName();
                Optional<ConfigMap> configMap = context.sources().configMap(namespace, name);
                if (configMap.isEmpty()) {
                    if (!Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
                        throw new ContainerConfigError("configmap \"" + name + "\" not found");
                    }
                    continue;
                }
                if (configMap.get().getData() != null) {
                    configMap.get().getData().forEach((key, value) -> env.put(prefix + key, value));
                }
            }
            if (from.getSecretRef() != null) {
                String name = from.getSecretRef().getName();
                Optional<Secret> secret = context.sources().secret(namespace, name);
                if (secret.isEmpty()) {
                    if (!Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
                        throw new ContainerConfigError("secret \"" + name + "\" not found");
                    }
                    continue;
                }
                secretData(secret.get()).forEach((key, value) -> env.put(prefix + key, value));
            }
        }
        for (EnvVar var : container.getEnv()) {
            if (var.getValueFrom() == null) {
                env.put(var.getName(), expand(var.getValue() == null ? "" : var.getValue(), env));
                continue;
            }
            valueFrom(pod, container, var.getValueFrom(), context).ifPresent(value -> env.put(var.getName(), value));
        }
        return env;
    }

    private static Optional<String> valueFrom(Pod pod, Container container, EnvVarSource source, PodContext context) {
        String namespace = pod.getMetadata().getNamespace();
        if (source.getFieldRef() != null) {
            return Optional.of(fieldRef(pod, source.getFieldRef(), context));
        }
        if (source.getResourceFieldRef() != null) {
            return Optional.of(resourceFieldRef(pod, container, source.getResourceFieldRef(), context.nodeAllocatable()));
        }
        if (source.getConfigMapKeyRef() != null) {
            var ref = source.getConfigMapKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Optional<ConfigMap> configMap = context.sources().configMap(namespace, ref.getName());
            if (configMap.isEmpty()) {
                if (optional) {
                    return Optional.empty();
                }
                throw new ContainerConfigError("configmap \"" + ref.getName() + "\" not found");
            }
            String value = configMap.get().getData() == null ? null : configMap.get().getData().get(ref.getKey());
            if (value == null && !optional) {
                throw new ContainerConfigError("couldn't find key " + ref.getKey() + " in ConfigMap " + namespace + "/" + ref.getName());
            }
            return Optional.ofNullable(value);
        }
        if (source.getSecretKeyRef() != null) {
            var ref = source.getSecretKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Optional<Secret> secret = context.sources().secret(namespace, ref.getName());
            if (secret.isEmpty()) {
                if (optional) {
                    return Optional.empty();
                }
                throw new ContainerConfigError("secret \"" + ref.getName() + "\" not found");
            }
            String value = secretData(secret.get()).get(ref.getKey());
            if (value == null && !optional) {
                throw new ContainerConfigError("couldn't find key " + ref.getKey() + " in Secret " + namespace + "/" + ref.getName());
            }
            return Optional.ofNullable(value);
        }
        return Optional.empty();
    }

    /** A Secret's values: data is base64, stringData (when a client left it) is plain. */
    static Map<String, String> secretData(Secret secret) {
        Map<String, String> data = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((key, value) -> data.put(key,
                    new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            data.putAll(secret.getStringData());
        }
        return data;
    }

    /** The downward API's fieldRef paths (the same ones env and downwardAPI volumes accept). */
    public static String fieldRef(Pod pod, ObjectFieldSelector selector, PodContext context) {
        String path = selector.getFieldPath();
        var metadata = pod.getMetadata();
        if (path.startsWith("metadata.labels['") && path.endsWith("']")) {
            String key = path.substring("metadata.labels['".length(), path.length() - 2);
            return metadata.getLabels() == null ? "" : metadata.getLabels().getOrDefault(key, "");
        }
        if (path.startsWith("metadata.annotations['") && path.endsWith("']")) {
            String key = path.substring("metadata.annotations['".length(), path.length() - 2);
            return metadata.getAnnotations() == null ? "" : metadata.getAnnotations().getOrDefault(key, "");
        }
        return switch (path) {
            case "metadata.name" -> metadata.getName();
            case "metadata.namespace" -> metadata.getNamespace();
            case "metadata.uid" -> metadata.getUid();
            case "metadata.labels" -> formatMap(metadata.getLabels());
            case "metadata.annotations" -> formatMap(metadata.getAnnotations());
            case "spec.nodeName" -> context.nodeName();
            case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName() == null ? "" : pod.getSpec().getServiceAccountName();
            case "status.hostIP", "status.hostIPs" -> context.hostIp();
            case "status.podIP", "status.podIPs" -> context.podIp() == null ? "" : context.podIp();
            default -> throw new ContainerConfigError("unsupported fieldPath: " + path);
        };
    }

    /** key="value" lines, sorted, as the downward API writes label and annotation maps. */
    static String formatMap(Map<String, String> map) {
        if (map == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        map.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(e.getKey()).append("=\"").append(e.getValue().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
        });
        return text.toString();
    }

    /** limits.cpu/memory/ephemeral-storage and requests.*, divided by the divisor and rounded up like the kubelet. */
    public static String resourceFieldRef(Pod pod, Container fallback, ResourceFieldSelector selector, Map<String, Quantity> nodeAllocatable) {
        Container container = fallback;
        if (selector.getContainerName() != null && !selector.getContainerName().isEmpty()) {
            container = pod.getSpec().getContainers().stream().filter(c -> c.getName().equals(selector.getContainerName()))
                    .findFirst().orElseThrow(() -> new ContainerConfigError("no container " + selector.getContainerName()));
        }
        String resource = selector.getResource();
        int dot = resource.indexOf('.');
        String kind = resource.substring(0, dot);
        String name = resource.substring(dot + 1);
        ResourceRequirements requirements = container.getResources();
        Map<String, Quantity> values = requirements == null ? null : "limits".equals(kind) ? requirements.getLimits() : requirements.getRequests();
        Quantity quantity = values == null ? null : values.get(name);
        if (quantity == null) {
            // An unset limit is the node's allocatable; an unset request is 0 (the kubelet does the same).
            quantity = "limits".equals(kind) ? nodeAllocatable.getOrDefault(name, new Quantity("0")) : new Quantity("0");
        }
        Quantity divisor = selector.getDivisor() == null ? new Quantity("1") : selector.getDivisor();
        BigDecimal value = quantity.getNumericalAmount().divide(divisor.getNumericalAmount(), 0, RoundingMode.CEILING);
        return value.toPlainString();
    }

    /** $(VAR) expansion as in Kubernetes: defined names are replaced, $$ escapes, unknown references stay. */
    static String expand(String text, Map<String, String> env) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && i + 1 < text.length()) {
                char next = text.charAt(i + 1);
                if (next == '$') {
                    out.append('$');
                    i += 2;
                    continue;
                }
                if (next == '(') {
                    int close = text.indexOf(')', i + 2);
                    if (close > 0) {
                        String name = text.substring(i + 2, close);
                        if (env.containsKey(name)) {
                            out.append(env.get(name));
                        } else {
                            out.append(text, i, close + 1);
                        }
                        i = close + 1;
                        continue;
                    }
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    static List<String> expand(List<String> texts, Map<String, String> env) {
        List<String> expanded = new ArrayList<>(texts.size());
        texts.forEach(text -> expanded.add(expand(text, env)));
        return expanded;
    }

    static List<Mount> mounts(Container container, Map<String, String> volumeHostPaths) {
        List<Mount> mounts = new ArrayList<>();
        for (VolumeMount mount : container.getVolumeMounts()) {
            String hostPath = volumeHostPaths.get(mount.getName());
            if (hostPath == null) {
                throw new ContainerConfigError("cannot find volume \"" + mount.getName() + "\" to mount into container \"" + container.getName() + "\"");
            }
            String subPath = mount.getSubPath() == null ? "" : mount.getSubPath();
            if (subPath.startsWith("/") || subPath.equals("..") || subPath.startsWith("../") || subPath.contains("/../")) {
                throw new ContainerConfigError("subPath \"" + subPath + "\" must be a relative path that stays within the volume");
            }
            mounts.add(Mount.newBuilder()
                    .setContainerPath(mount.getMountPath())
                    .setHostPath(subPath.isEmpty() ? hostPath : hostPath + "/" + subPath)
                    .setReadonly(Boolean.TRUE.equals(mount.getReadOnly()))
                    .build());
        }
        return mounts;
    }

    /** cpu shares from the request, CFS quota from the limit, memory limit, and the QoS class's OOM score. */
    static LinuxContainerResources resources(Pod pod, Container container, Map<String, Quantity> nodeAllocatable, int minOomScoreAdj) {
        ResourceRequirements requirements = container.getResources();
        Map<String, Quantity> requests = requirements == null || requirements.getRequests() == null ? Map.of() : requirements.getRequests();
        Map<String, Quantity> limits = requirements == null || requirements.getLimits() == null ? Map.of() : requirements.getLimits();
        LinuxContainerResources.Builder resources = LinuxContainerResources.newBuilder();
        Quantity cpuRequest = requests.getOrDefault("cpu", limits.get("cpu"));
        long milliCpu = cpuRequest == null ? 0 : milli(cpuRequest);
        resources.setCpuShares(Math.max(MIN_SHARES, milliCpu * 1024 / 1000));
        if (limits.containsKey("cpu")) {
            resources.setCpuPeriod(CPU_PERIOD);
            resources.setCpuQuota(Math.max(MIN_QUOTA, milli(limits.get("cpu")) * CPU_PERIOD / 1000));
        }
        if (limits.containsKey("memory")) {
            resources.setMemoryLimitInBytes(limits.get("memory").getNumericalAmount().longValue());
        }
        resources.setOomScoreAdj(Math.max(minOomScoreAdj, oomScoreAdj(pod, container, nodeAllocatable.get("memory"))));
        return resources.build();
    }

    /** The kubelet's OOM score: Guaranteed -997, BestEffort 1000, Burstable by the share of memory requested. */
    static long oomScoreAdj(Pod pod, Container container, Quantity nodeMemory) {
        String qos = pod.getStatus() != null && pod.getStatus().getQosClass() != null ? pod.getStatus().getQosClass() : "Burstable";
        if (qos.equals("Guaranteed")) {
            return -997;
        }
        if (qos.equals("BestEffort")) {
            return 1000;
        }
        Quantity request = container.getResources() == null || container.getResources().getRequests() == null
                ? null : container.getResources().getRequests().get("memory");
        if (request == null || nodeMemory == null) {
            return 999;
        }
        long capacity = nodeMemory.getNumericalAmount().longValue();
        long score = 1000 - 1000 * request.getNumericalAmount().longValue() / Math.max(1, capacity);
        return Math.max(2, Math.min(999, score));
    }

    static long milli(Quantity quantity) {
        return quantity.getNumericalAmount().multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING).longValue();
    }

    static LinuxContainerSecurityContext securityContext(Pod pod, Container container) {
        LinuxContainerSecurityContext.Builder security = LinuxContainerSecurityContext.newBuilder();
        PodSecurityContext podSecurity = pod.getSpec().getSecurityContext();
        SecurityContext own = container.getSecurityContext();
        Long runAsUser = own != null && own.getRunAsUser() != null ? own.getRunAsUser() : podSecurity == null ? null : podSecurity.getRunAsUser();
        Long runAsGroup = own != null && own.getRunAsGroup() != null ? own.getRunAsGroup() : podSecurity == null ? null : podSecurity.getRunAsGroup();
        if (runAsUser != null) {
            security.setRunAsUser(Int64Value.newBuilder().setValue(runAsUser));
        }
        if (runAsGroup != null) {
            security.setRunAsGroup(Int64Value.newBuilder().setValue(runAsGroup));
        }
        if (podSecurity != null) {
            if (podSecurity.getSupplementalGroups() != null) {
                security.addAllSupplementalGroups(podSecurity.getSupplementalGroups());
            }
            if (podSecurity.getFsGroup() != null) {
                security.addSupplementalGroups(podSecurity.getFsGroup());
            }
        }
        if (own != null) {
            security.setPrivileged(Boolean.TRUE.equals(own.getPrivileged()));
            security.setReadonlyRootfs(Boolean.TRUE.equals(own.getReadOnlyRootFilesystem()));
            security.setNoNewPrivs(Boolean.FALSE.equals(own.getAllowPrivilegeEscalation()));
            if (own.getCapabilities() != null) {
                security.setCapabilities(Capability.newBuilder()
                        .addAllAddCapabilities(own.getCapabilities().getAdd())
                        .addAllDropCapabilities(own.getCapabilities().getDrop()));
            }
        }
        boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
        security.setNamespaceOptions(NamespaceOption.newBuilder()
                .setNetwork(hostNetwork ? NamespaceMode.NODE : NamespaceMode.POD)
                .setPid(Boolean.TRUE.equals(pod.getSpec().getHostPID()) ? NamespaceMode.NODE
                        : Boolean.TRUE.equals(pod.getSpec().getShareProcessNamespace()) ? NamespaceMode.POD : NamespaceMode.CONTAINER)
                .setIpc(Boolean.TRUE.equals(pod.getSpec().getHostIPC()) ? NamespaceMode.NODE : NamespaceMode.POD));
        return security.build();
    }
}
