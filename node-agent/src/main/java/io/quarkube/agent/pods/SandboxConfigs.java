package io.quarkube.agent.pods;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.quarkube.agent.cri.v1.DNSConfig;
import io.quarkube.agent.cri.v1.Int64Value;
import io.quarkube.agent.cri.v1.LinuxPodSandboxConfig;
import io.quarkube.agent.cri.v1.LinuxSandboxSecurityContext;
import io.quarkube.agent.cri.v1.NamespaceMode;
import io.quarkube.agent.cri.v1.NamespaceOption;
import io.quarkube.agent.cri.v1.PodSandboxConfig;
import io.quarkube.agent.cri.v1.PodSandboxMetadata;
import io.quarkube.agent.cri.v1.PortMapping;
import io.quarkube.agent.cri.v1.Protocol;

/** Pod → CRI PodSandboxConfig, as the kubelet's generatePodSandboxConfig does it. Pure. */
public final class SandboxConfigs {

    private SandboxConfigs() {
    }

    /** The directory of a pod's container logs: /var/log/pods/NAMESPACE_NAME_UID. */
    public static String logDirectory(String logRoot, Pod pod) {
        return logRoot + "/" + pod.getMetadata().getNamespace() + "_" + pod.getMetadata().getName() + "_" + pod.getMetadata().getUid();
    }

    /** As {@link #sandboxConfig(Pod, String, int, String, Optional)} without a cgroup root. */
    public static PodSandboxConfig sandboxConfig(Pod pod, String nodeName, int attempt, String logRoot) {
        return sandboxConfig(pod, nodeName, attempt, logRoot, Optional.empty());
    }

    /** As {@link #sandboxConfig(Pod, String, int, String, Optional, DNSConfig)} without DNS settings (the runtime's defaults). */
    public static PodSandboxConfig sandboxConfig(Pod pod, String nodeName, int attempt, String logRoot, Optional<String> cgroupRoot) {
        return sandboxConfig(pod, nodeName, attempt, logRoot, cgroupRoot, null);
    }

    /** The sandbox of a pod; {@code dns} (see {@code PodDnsConfigs}) becomes its resolv.conf. */
    public static PodSandboxConfig sandboxConfig(Pod pod, String nodeName, int attempt, String logRoot, Optional<String> cgroupRoot,
            DNSConfig dns) {
        PodSpec spec = pod.getSpec();
        boolean hostNetwork = Boolean.TRUE.equals(spec.getHostNetwork());
        PodSandboxConfig.Builder config = PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder()
                        .setName(pod.getMetadata().getName())
                        .setNamespace(pod.getMetadata().getNamespace())
                        .setUid(pod.getMetadata().getUid())
                        .setAttempt(attempt))
                // A host-network pod keeps the node's UTS namespace, where runc cannot set a hostname.
                .setHostname(hostNetwork ? "" : hostname(pod))
                .setLogDirectory(logDirectory(logRoot, pod))
                .putAllLabels(labels(pod, nodeName))
                .putAllAnnotations(pod.getMetadata().getAnnotations() == null ? Map.of() : pod.getMetadata().getAnnotations());
        if (dns != null) {
            config.setDnsConfig(dns);
        }
        for (Container container : spec.getContainers()) {
            for (ContainerPort port : container.getPorts()) {
                if (port.getHostPort() != null && port.getHostPort() > 0) {
                    config.addPortMappings(PortMapping.newBuilder()
                            .setProtocol(protocol(port.getProtocol()))
                            .setContainerPort(port.getContainerPort())
                            .setHostPort(port.getHostPort())
                            .setHostIp(port.getHostIP() == null ? "" : port.getHostIP()));
                }
            }
        }
        LinuxSandboxSecurityContext.Builder security = LinuxSandboxSecurityContext.newBuilder()
                .setNamespaceOptions(NamespaceOption.newBuilder()
                        .setNetwork(hostNetwork ? NamespaceMode.NODE : NamespaceMode.POD)
                        .setPid(Boolean.TRUE.equals(spec.getHostPID()) ? NamespaceMode.NODE
                                : Boolean.TRUE.equals(spec.getShareProcessNamespace()) ? NamespaceMode.POD : NamespaceMode.CONTAINER)
                        .setIpc(Boolean.TRUE.equals(spec.getHostIPC()) ? NamespaceMode.NODE : NamespaceMode.POD));
        PodSecurityContext podSecurity = spec.getSecurityContext();
        if (podSecurity != null) {
            if (podSecurity.getRunAsUser() != null) {
                security.setRunAsUser(Int64Value.newBuilder().setValue(podSecurity.getRunAsUser()));
            }
            if (podSecurity.getRunAsGroup() != null) {
                security.setRunAsGroup(Int64Value.newBuilder().setValue(podSecurity.getRunAsGroup()));
            }
            if (podSecurity.getSupplementalGroups() != null) {
                security.addAllSupplementalGroups(podSecurity.getSupplementalGroups());
            }
            if (podSecurity.getFsGroup() != null) {
                security.addSupplementalGroups(podSecurity.getFsGroup());
            }
        }
        LinuxPodSandboxConfig.Builder linux = LinuxPodSandboxConfig.newBuilder().setSecurityContext(security);
        cgroupRoot.ifPresent(root -> linux.setCgroupParent(root + "/pod" + pod.getMetadata().getUid()));
        config.setLinux(linux);
        return config.build();
    }

    /** The pod's labels and the kubelet's own, which name the pod and the node. */
    static Map<String, String> labels(Pod pod, String nodeName) {
        Map<String, String> labels = new HashMap<>();
        if (pod.getMetadata().getLabels() != null) {
            labels.putAll(pod.getMetadata().getLabels());
        }
        labels.put(PodLabels.POD_NAME, pod.getMetadata().getName());
        labels.put(PodLabels.POD_NAMESPACE, pod.getMetadata().getNamespace());
        labels.put(PodLabels.POD_UID, pod.getMetadata().getUid());
        labels.put(PodLabels.NODE_NAME, nodeName);
        return labels;
    }

    static String hostname(Pod pod) {
        String hostname = pod.getSpec().getHostname();
        String name = hostname == null || hostname.isEmpty() ? pod.getMetadata().getName() : hostname;
        // A hostname is one DNS label: at most 63 characters, without a trailing dash or dot.
        if (name.length() > 63) {
            name = name.substring(0, 63).replaceAll("[-.]+$", "");
        }
        return name;
    }

    static Protocol protocol(String protocol) {
        if (protocol == null) {
            return Protocol.TCP;
        }
        return switch (protocol) {
            case "UDP" -> Protocol.UDP;
            case "SCTP" -> Protocol.SCTP;
            default -> Protocol.TCP;
        };
    }
}
