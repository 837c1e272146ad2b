package io.quarkube.agent.pods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkube.agent.cri.v1.ContainerConfig;
import io.quarkube.agent.cri.v1.KeyValue;
import io.quarkube.agent.cri.v1.LinuxContainerResources;

class ContainerConfigsTest {

    private static final EnvSources SOURCES = new EnvSources() {
        @Override
        public Optional<ConfigMap> configMap(String namespace, String name) {
            return name.equals("settings") && namespace.equals("ns")
                    ? Optional.of(new ConfigMapBuilder().addToData("MODE", "fast").addToData("LEVEL", "3").build()) : Optional.empty();
        }

        @Override
        public Optional<Secret> secret(String namespace, String name) {
            return name.equals("creds") && namespace.equals("ns")
                    ? Optional.of(new SecretBuilder().addToData("PASSWORD", b64("s3cret")).build()) : Optional.empty();
        }

        @Override
        public Optional<IssuedToken> serviceAccountToken(Pod pod, String serviceAccount, String audience, long expirationSeconds) {
            throw new AssertionError("env needs no service account token");
        }
    };
    private static final ContainerConfigs.PodContext CONTEXT = new ContainerConfigs.PodContext("node-1", "192.168.1.9", "10.88.0.5",
            Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi")), Map.of("data", "/var/lib/agent/pods/uid-1/volumes/data"), SOURCES, -1000);

    static Stream<Arguments> envCases() {
        return Stream.of(
                Arguments.argumentSet("literal", env().addToEnv(new EnvVarBuilder().withName("A").withValue("1").build()), Map.of("A", "1")),
                Arguments.argumentSet("expansion of earlier variables, $$ escapes, unknown stays",
                        env().addNewEnv().withName("A").withValue("x").endEnv().addNewEnv().withName("B").withValue("$(A)-$$(A)-$(NOPE)").endEnv(),
                        Map.of("A", "x", "B", "x-$(A)-$(NOPE)")),
                Arguments.argumentSet("configMapKeyRef", env().addNewEnv().withName("M").withNewValueFrom().withNewConfigMapKeyRef("MODE", "settings", false).endValueFrom().endEnv(), Map.of("M", "fast")),
                Arguments.argumentSet("secretKeyRef", env().addNewEnv().withName("P").withNewValueFrom().withNewSecretKeyRef("PASSWORD", "creds", false).endValueFrom().endEnv(), Map.of("P", "s3cret")),
                Arguments.argumentSet("optional missing key is left out", env().addNewEnv().withName("X").withNewValueFrom()
                        .withNewConfigMapKeyRef("NOPE", "settings", true).endValueFrom().endEnv(), Map.of()),
                Arguments.argumentSet("envFrom with prefix, env overrides", env().addNewEnvFrom().withPrefix("CFG_").withNewConfigMapRef("settings", false).endEnvFrom().addNewEnv().withName("CFG_MODE").withValue("slow").endEnv(),
                        Map.of("CFG_MODE", "slow", "CFG_LEVEL", "3")),
                Arguments.argumentSet("envFrom secret", env().addNewEnvFrom().withNewSecretRef("creds", false).endEnvFrom(),
                        Map.of("PASSWORD", "s3cret")),
                Arguments.argumentSet("downward API fields", env()
                        .addNewEnv().withName("NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom().endEnv()
                        .addNewEnv().withName("NS").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.namespace").endFieldRef().endValueFrom().endEnv()
                        .addNewEnv().withName("NODE").withNewValueFrom().withNewFieldRef().withFieldPath("spec.nodeName").endFieldRef().endValueFrom().endEnv()
                        .addNewEnv().withName("IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP").endFieldRef().endValueFrom().endEnv()
                        .addNewEnv().withName("HOST").withNewValueFrom().withNewFieldRef().withFieldPath("status.hostIP").endFieldRef().endValueFrom().endEnv()
                        .addNewEnv().withName("TIER").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.labels['tier']").endFieldRef().endValueFrom().endEnv(),
                        Map.of("NAME", "web", "NS", "ns", "NODE", "node-1", "IP", "10.88.0.5", "HOST", "192.168.1.9", "TIER", "front")),
                Arguments.argumentSet("resourceFieldRef with divisor, and the node's allocatable without a limit", env()
                        .withNewResources().addToLimits("memory", new Quantity("64Mi")).endResources()
                        .addNewEnv().withName("MEM_MI").withNewValueFrom().withNewResourceFieldRef().withResource("limits.memory")
                        .withDivisor(new Quantity("1Mi")).endResourceFieldRef().endValueFrom().endEnv()
                        .addNewEnv().withName("CPUS").withNewValueFrom().withNewResourceFieldRef().withResource("limits.cpu").endResourceFieldRef().endValueFrom().endEnv(),
                        Map.of("MEM_MI", "64", "CPUS", "4")));
    }

    @ParameterizedTest
    @MethodSource("envCases")
    void environment(ContainerBuilder container, Map<String, String> expected) {
        Container built = container.withName("app").withImage("busybox").build();

        ContainerConfig config = ContainerConfigs.containerConfig(pod(built), built, 0, CONTEXT);

        assertEquals(expected, config.getEnvsList().stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue, (a, b) -> b, LinkedHashMap::new)));
    }

    static Stream<Arguments> configErrors() {
        return Stream.of(
                Arguments.argumentSet("missing configmap", env().addNewEnvFrom().withNewConfigMapRef("absent", false).endEnvFrom(),
                        "configmap \"absent\" not found"),
                Arguments.argumentSet("missing secret key", env().addNewEnv().withName("P").withNewValueFrom().withNewSecretKeyRef("NOPE", "creds", false).endValueFrom().endEnv(), "couldn't find key NOPE in Secret ns/creds"),
                Arguments.argumentSet("unknown volume", env().addNewVolumeMount().withName("other").withMountPath("/x").endVolumeMount(),
                        "cannot find volume \"other\" to mount into container \"app\""),
                Arguments.argumentSet("subPath escaping the volume", env().addNewVolumeMount().withName("data").withMountPath("/x").withSubPath("../etc")
                        .endVolumeMount(), "subPath \"../etc\" must be a relative path that stays within the volume"));
    }

    @ParameterizedTest
    @MethodSource("configErrors")
    void configurationErrorsNameWhatIsMissing(ContainerBuilder container, String message) {
        Container built = container.withName("app").withImage("busybox").build();

        ContainerConfigError error = assertThrows(ContainerConfigError.class, () -> ContainerConfigs.containerConfig(pod(built), built, 0, CONTEXT));

        assertEquals(message, error.getMessage());
    }

    @Test
    void commandArgsWorkingDirMountsLabelsAndLogPath() {
        Container container = env().withName("app").withImage("busybox:1.36")
                .addNewEnv().withName("GREETING").withValue("hi").endEnv()
                .withCommand("sh", "-c").withArgs("echo $(GREETING)").withWorkingDir("/work")
                .addNewVolumeMount().withName("data").withMountPath("/data").withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("data").withMountPath("/conf").withSubPath("conf").endVolumeMount()
                .build();

        ContainerConfig config = ContainerConfigs.containerConfig(pod(container), container, 3, CONTEXT);

        assertEquals(List.of("sh", "-c"), config.getCommandList());
        assertEquals(List.of("echo hi"), config.getArgsList());
        assertEquals("/work", config.getWorkingDir());
        assertEquals("app", config.getMetadata().getName());
        assertEquals(3, config.getMetadata().getAttempt());
        assertEquals("app/3.log", config.getLogPath());
        assertEquals("busybox:1.36", config.getImage().getImage());
        assertEquals("uid-1", config.getLabelsMap().get(PodLabels.POD_UID));
        assertEquals("app", config.getLabelsMap().get(PodLabels.CONTAINER_NAME));
        assertEquals("/var/lib/agent/pods/uid-1/volumes/data", config.getMounts(0).getHostPath());
        assertTrue(config.getMounts(0).getReadonly());
        assertEquals("/var/lib/agent/pods/uid-1/volumes/data/conf", config.getMounts(1).getHostPath());
    }

    static Stream<Arguments> resources() {
        return Stream.of(
                Arguments.argumentSet("best effort", null, null, null, null, 2L, 0L, 0L, 1000L),
                Arguments.argumentSet("guaranteed", "500m", "500m", "128Mi", "128Mi", 512L, 50_000L, 134_217_728L, -997L),
                Arguments.argumentSet("burstable with a small request", "250m", "1", "1Gi", "2Gi", 256L, 100_000L, 2_147_483_648L, 875L));
    }

    @ParameterizedTest
    @MethodSource("resources")
    void resourcesBecomeCgroupSettings(String cpuRequest, String cpuLimit, String memRequest, String memLimit,
            long shares, long quota, long memoryLimit, long oomScoreAdj) {
        ContainerBuilder container = env().withName("app").withImage("busybox");
        if (cpuRequest != null) {
            container.withNewResources()
                    .addToRequests("cpu", new Quantity(cpuRequest)).addToLimits("cpu", new Quantity(cpuLimit))
                    .addToRequests("memory", new Quantity(memRequest)).addToLimits("memory", new Quantity(memLimit))
                    .endResources();
        }
        Container built = container.build();
        Pod pod = pod(built);
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatus());
        pod.getStatus().setQosClass(cpuRequest == null ? "BestEffort" : cpuRequest.equals(cpuLimit) ? "Guaranteed" : "Burstable");

        LinuxContainerResources resources = ContainerConfigs.containerConfig(pod, built, 0, CONTEXT).getLinux().getResources();

        assertEquals(shares, resources.getCpuShares());
        assertEquals(quota, resources.getCpuQuota());
        assertEquals(memoryLimit, resources.getMemoryLimitInBytes());
        assertEquals(oomScoreAdj, resources.getOomScoreAdj());
    }

    @Test
    void oomScoreAdjIsNeverBelowTheConfiguredMinimum() {
        Container container = env().withName("app").withImage("busybox").build();
        Pod pod = pod(container);
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withQosClass("Guaranteed").build());

        var resources = ContainerConfigs.containerConfig(pod, container, 0, new ContainerConfigs.PodContext("node-1", "192.168.1.9",
                "10.88.0.5", Map.of(), Map.of(), SOURCES, 0)).getLinux().getResources();

        assertEquals(0, resources.getOomScoreAdj());
    }

    @Test
    void securityContextBasicsWithPodDefaults() {
        Container container = env().withName("app").withImage("busybox")
                .withNewSecurityContext().withRunAsGroup(3000L).withReadOnlyRootFilesystem(true).withPrivileged(false)
                .withNewCapabilities().addToAdd("NET_ADMIN").addToDrop("ALL").endCapabilities().endSecurityContext()
                .build();
        Pod pod = pod(container);
        pod.getSpec().setSecurityContext(new io.fabric8.kubernetes.api.model.PodSecurityContextBuilder().withRunAsUser(1000L).withFsGroup(2000L).build());

        var security = ContainerConfigs.containerConfig(pod, container, 0, CONTEXT).getLinux().getSecurityContext();

        assertEquals(1000L, security.getRunAsUser().getValue());
        assertEquals(3000L, security.getRunAsGroup().getValue());
        assertEquals(List.of(2000L), security.getSupplementalGroupsList());
        assertTrue(security.getReadonlyRootfs());
        assertEquals(List.of("NET_ADMIN"), security.getCapabilities().getAddCapabilitiesList());
        assertEquals(List.of("ALL"), security.getCapabilities().getDropCapabilitiesList());
    }

    private static ContainerBuilder env() {
        return new ContainerBuilder();
    }

    private static Pod pod(Container container) {
        return new PodBuilder()
                .withNewMetadata().withName("web").withNamespace("ns").withUid("uid-1").addToLabels("tier", "front").endMetadata()
                .withNewSpec().withNodeName("node-1").withContainers(container).endSpec()
                .build();
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
