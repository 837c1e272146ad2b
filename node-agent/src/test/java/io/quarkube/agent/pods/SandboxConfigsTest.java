package io.quarkube.agent.pods;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.quarkube.agent.cri.v1.NamespaceMode;
import io.quarkube.agent.cri.v1.PodSandboxConfig;

class SandboxConfigsTest {

    @Test
    void sandboxCarriesTheKubeletsLabelsMetadataLogDirectoryAndHostPorts() {
        Pod pod = new PodBuilder()
                .withNewMetadata().withName("web").withNamespace("ns").withUid("uid-1").addToLabels("app", "web")
                .addToAnnotations("a", "b").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("i")
                .addNewPort().withContainerPort(80).withHostPort(8080).endPort()
                .addNewPort().withContainerPort(81).endPort().endContainer().endSpec()
                .build();

        PodSandboxConfig config = SandboxConfigs.sandboxConfig(pod, "node-1", 2, "/var/log/pods");

        assertEquals("web", config.getMetadata().getName());
        assertEquals("ns", config.getMetadata().getNamespace());
        assertEquals("uid-1", config.getMetadata().getUid());
        assertEquals(2, config.getMetadata().getAttempt());
        assertEquals("web", config.getHostname());
        assertEquals("/var/log/pods/ns_web_uid-1", config.getLogDirectory());
        assertEquals(Map.of("app", "web", PodLabels.POD_NAME, "web", PodLabels.POD_NAMESPACE, "ns", PodLabels.POD_UID, "uid-1",
                PodLabels.NODE_NAME, "node-1"), config.getLabelsMap());
        assertEquals(Map.of("a", "b"), config.getAnnotationsMap());
        assertEquals(1, config.getPortMappingsCount());
        assertEquals(8080, config.getPortMappings(0).getHostPort());
        assertEquals(NamespaceMode.POD, config.getLinux().getSecurityContext().getNamespaceOptions().getNetwork());
        assertEquals(NamespaceMode.CONTAINER, config.getLinux().getSecurityContext().getNamespaceOptions().getPid());
        assertEquals("", config.getLinux().getCgroupParent());
    }

    @Test
    void cgroupRootGivesEachPodItsOwnParent() {
        Pod pod = new PodBuilder().withNewMetadata().withName("a").withNamespace("n").withUid("u-1").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("i").endContainer().endSpec().build();

        assertEquals("/kubepods/podu-1", SandboxConfigs.sandboxConfig(pod, "node-1", 0, "/var/log/pods", java.util.Optional.of("/kubepods"))
                .getLinux().getCgroupParent());
    }

    @Test
    void hostNetworkPodUsesTheNodesNamespaceWithoutAHostname() {
        Pod pod = new PodBuilder().withNewMetadata().withName("agent").withNamespace("kube-system").withUid("u").endMetadata()
                .withNewSpec().withHostNetwork(true).addNewContainer().withName("c").withImage("i").endContainer().endSpec().build();

        PodSandboxConfig config = SandboxConfigs.sandboxConfig(pod, "node-1", 0, "/var/log/pods");

        assertEquals("", config.getHostname());
        assertEquals(NamespaceMode.NODE, config.getLinux().getSecurityContext().getNamespaceOptions().getNetwork());
    }

    @Test
    void dnsConfigBecomesTheSandboxsResolvConf() {
        Pod pod = new PodBuilder().withNewMetadata().withName("a").withNamespace("n").withUid("u-1").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("i").endContainer().endSpec().build();
        io.quarkube.agent.cri.v1.DNSConfig dns = io.quarkube.agent.cri.v1.DNSConfig.newBuilder().addServers("10.96.0.10")
                .addSearches("n.svc.cluster.local").addOptions("ndots:5").build();

        assertEquals(dns, SandboxConfigs.sandboxConfig(pod, "node-1", 0, "/var/log/pods", java.util.Optional.empty(), dns).getDnsConfig());
        assertEquals(false, SandboxConfigs.sandboxConfig(pod, "node-1", 0, "/var/log/pods").hasDnsConfig(), "none given: the runtime's default");
    }
}
