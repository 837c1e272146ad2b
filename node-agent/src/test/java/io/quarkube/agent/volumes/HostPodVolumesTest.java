package io.quarkube.agent.volumes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.quarkube.agent.pods.ContainerConfigError;
import io.quarkube.agent.pods.ContainerConfigs;
import io.quarkube.agent.pods.EnvSources;
import io.quarkube.agent.testing.MutableClock;

class HostPodVolumesTest {

    @TempDir
    Path root;

    /** Tokens issued so far, as "account|audience|lifetime|pod uid"; the n-th token is "token-n". */
    private static final List<String> ISSUED = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final EnvSources SOURCES = new EnvSources() {
        @Override
        public Optional<ConfigMap> configMap(String namespace, String name) {
            return name.equals("settings") ? Optional.of(new ConfigMapBuilder().addToData("app.conf", "mode=fast").addToData("other", "x").build())
                    : Optional.empty();
        }

        @Override
        public Optional<Secret> secret(String namespace, String name) {
            return name.equals("creds") ? Optional.of(new SecretBuilder().addToData("token",
                    Base64.getEncoder().encodeToString("t0k3n".getBytes(StandardCharsets.UTF_8))).build()) : Optional.empty();
        }

        @Override
        public Optional<IssuedToken> serviceAccountToken(Pod pod, String serviceAccount, String audience, long expirationSeconds) {
            if (serviceAccount.equals("ghost")) {
                return Optional.empty();
            }
            if (FAILING.get()) {
                throw new io.fabric8.kubernetes.client.KubernetesClientException("the API is away");
            }
            ISSUED.add(serviceAccount + "|" + audience + "|" + expirationSeconds + "|" + pod.getMetadata().getUid());
            return Optional.of(new IssuedToken("token-" + ISSUED.size(), CLOCK.instant().plusSeconds(expirationSeconds)));
        }
    };
    private static final MutableClock CLOCK = new MutableClock();
    /** Token requests fail (the API away) while set. */
    private static final java.util.concurrent.atomic.AtomicBoolean FAILING = new java.util.concurrent.atomic.AtomicBoolean();
    private static final ContainerConfigs.PodContext CONTEXT =
            new ContainerConfigs.PodContext("node-1", "192.168.1.9", "10.88.0.5", Map.of(), Map.of(), SOURCES, 0);

    @Test
    void everyKindOfVolumeBecomesAPathWithItsFiles() throws Exception {
        Pod pod = new PodBuilder()
                .withNewMetadata().withName("web").withNamespace("ns").withUid("uid-1").addToLabels("app", "web").endMetadata()
                .withNewSpec()
                .addNewVolume().withName("scratch").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("host").withNewHostPath().withPath("/var/data").endHostPath().endVolume()
                .addNewVolume().withName("conf").withNewConfigMap().withName("settings").withItems(new KeyToPath("app.conf", null, "conf/app.conf"))
                .endConfigMap().endVolume()
                .addNewVolume().withName("secret").withNewSecret().withSecretName("creds").endSecret().endVolume()
                .addNewVolume().withName("info").withNewDownwardAPI().addNewItem().withPath("labels").withNewFieldRef().withFieldPath("metadata.labels")
                .endFieldRef().endItem().endDownwardAPI().endVolume()
                .addNewVolume().withName("all").withNewProjected()
                .addNewSource().withNewConfigMap().withName("settings").endConfigMap().endSource()
                .addNewSource().withNewSecret().withName("creds").endSecret().endSource()
                .endProjected().endVolume()
                .addNewContainer().withName("c").withImage("i").endContainer()
                .endSpec().build();
        HostPodVolumes volumes = new HostPodVolumes(root);

        Map<String, String> paths = volumes.prepare(pod, CONTEXT);

        Path base = root.resolve("pods/uid-1/volumes");
        assertEquals(base.resolve("kubernetes.io~empty-dir/scratch").toString(), paths.get("scratch"));
        assertTrue(Files.isDirectory(Path.of(paths.get("scratch"))));
        assertEquals("/var/data", paths.get("host"));
        assertEquals("mode=fast", Files.readString(Path.of(paths.get("conf")).resolve("conf/app.conf")));
        assertFalse(Files.exists(Path.of(paths.get("conf")).resolve("other")));
        assertEquals("t0k3n", Files.readString(Path.of(paths.get("secret")).resolve("token")));
        assertEquals("app=\"web\"", Files.readString(Path.of(paths.get("info")).resolve("labels")));
        assertEquals("mode=fast", Files.readString(Path.of(paths.get("all")).resolve("app.conf")));
        assertEquals("t0k3n", Files.readString(Path.of(paths.get("all")).resolve("token")));

        volumes.cleanUp("uid-1");
        assertFalse(Files.exists(root.resolve("pods/uid-1")));
    }

    @Test
    void missingConfigMapIsAMountErrorUnlessOptional() {
        HostPodVolumes volumes = new HostPodVolumes(root);
        Pod required = podWithConfigMap("absent", false);
        Pod optional = podWithConfigMap("absent", true);

        ContainerConfigError error = assertThrows(ContainerConfigError.class, () -> volumes.prepare(required, CONTEXT));

        assertEquals("MountVolume.SetUp failed: configmap \"absent\" not found", error.getMessage());
        assertTrue(Files.isDirectory(Path.of(volumes.prepare(optional, CONTEXT).get("v"))));
    }

    @Test
    void memoryBackedEmptyDirIsATmpfsOfItsSizeLimitUnmountedWithThePod() throws Exception {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("uid-memory").endMetadata()
                .withNewSpec().addNewVolume().withName("scratch").withNewEmptyDir().withMedium("Memory")
                .withSizeLimit(new io.fabric8.kubernetes.api.model.Quantity("8Mi")).endEmptyDir().endVolume()
                .addNewContainer().withName("c").withImage("i").endContainer().endSpec().build();
        HostPodVolumes volumes = new HostPodVolumes(root);

        Path dir = Path.of(volumes.prepare(pod, CONTEXT).get("scratch"));
        volumes.prepare(pod, CONTEXT); // a second sync mounts nothing more

        List<Path> mounts = TmpfsMounts.mountPointsUnder(dir);
        try {
            assertEquals(List.of(dir), mounts);
            String info = TmpfsMounts.mountInfo(dir).orElseThrow();
            assertTrue(info.contains(" - tmpfs tmpfs ") && info.contains("size=8192k") && info.contains("mode=777"), info);
            Files.writeString(dir.resolve("file"), "in memory");
        } finally {
            volumes.cleanUp("uid-memory");
        }
        assertEquals(List.of(), TmpfsMounts.mountPointsUnder(dir));
        assertFalse(Files.exists(dir));
    }

    @Test
    void itemPathsMayNotLeaveTheVolume() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u").endMetadata()
                .withNewSpec().addNewVolume().withName("v").withNewConfigMap().withName("settings")
                .withItems(new KeyToPath("app.conf", null, "../escape")).endConfigMap().endVolume()
                .addNewContainer().withName("c").withImage("i").endContainer().endSpec().build();

        assertThrows(ContainerConfigError.class, () -> new HostPodVolumes(root).prepare(pod, CONTEXT));
    }

    @Test
    void aServiceAccountTokenSourceIsATokenOfThePodsAccountRenewedAtEightyPercentOfItsLifetime() throws Exception {
        ISSUED.clear();
        Pod pod = podWithToken("builder", "uid-token", new ServiceAccountTokenProjection("vault", 600L, "secrets/token"));
        HostPodVolumes volumes = new HostPodVolumes(root, CLOCK);

        Path volume = Path.of(volumes.prepare(pod, CONTEXT).get("v"));
        assertEquals("token-1", Files.readString(volume.resolve("secrets/token")));
        assertEquals("mode=fast", Files.readString(volume.resolve("app.conf")));
        assertEquals(List.of("builder|vault|600|uid-token"), ISSUED);

        CLOCK.advance(Duration.ofSeconds(479)); // 10 minutes' token, just short of 80%
        volumes.prepare(pod, CONTEXT);
        assertEquals("token-1", Files.readString(volume.resolve("secrets/token")));
        assertEquals(1, ISSUED.size(), "a fresh token is not asked for again");

        CLOCK.advance(Duration.ofSeconds(1));
        volumes.prepare(pod, CONTEXT);
        assertEquals("token-2", Files.readString(volume.resolve("secrets/token")));

        volumes.cleanUp("uid-token");
        volumes.prepare(pod, CONTEXT);
        assertEquals(3, ISSUED.size(), "a pod's tokens are forgotten with it");
    }

    @Test
    void aFailedRenewalKeepsTheCurrentTokenUntilItExpires() throws Exception {
        ISSUED.clear();
        HostPodVolumes volumes = new HostPodVolumes(root, CLOCK);
        Pod pod = podWithToken("builder", "uid-renewal", new ServiceAccountTokenProjection(null, 600L, "token"));
        Path volume = Path.of(volumes.prepare(pod, CONTEXT).get("v"));

        CLOCK.advance(Duration.ofSeconds(590));
        volumes.prepare(pod, CONTEXT);
        assertEquals("token-2", Files.readString(volume.resolve("token")), "renewed at 80%");

        FAILING.set(true);
        try {
            CLOCK.advance(Duration.ofSeconds(480));
            volumes.prepare(pod, CONTEXT);
            assertEquals("token-2", Files.readString(volume.resolve("token")), "kept while the renewal fails and it is valid");
            CLOCK.advance(Duration.ofSeconds(120));
            assertThrows(ContainerConfigError.class, () -> volumes.prepare(pod, CONTEXT), "an expired token is not kept");
        } finally {
            FAILING.set(false);
        }
    }

    @Test
    void aTokenWithoutAudienceOrLifetimeIsTheApiServersForAnHourOfTheDefaultAccount() {
        ISSUED.clear();
        Pod pod = podWithToken(null, "uid-default", new ServiceAccountTokenProjection(null, null, "token"));

        new HostPodVolumes(root, CLOCK).prepare(pod, CONTEXT);

        assertEquals(List.of("default|null|3600|uid-default"), ISSUED);
    }

    @Test
    void aMissingServiceAccountOrAnUnsupportedSourceIsAMountError() {
        HostPodVolumes volumes = new HostPodVolumes(root, CLOCK);
        Pod ghost = podWithToken("ghost", "uid-ghost", new ServiceAccountTokenProjection(null, null, "token"));
        Pod bundle = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("uid-bundle").endMetadata()
                .withNewSpec().addNewVolume().withName("v").withNewProjected().addNewSource().withNewClusterTrustBundle()
                .withName("roots").withPath("ca.crt").endClusterTrustBundle().endSource().endProjected().endVolume()
                .addNewContainer().withName("c").withImage("i").endContainer().endSpec().build();

        assertEquals("MountVolume.SetUp failed for volume \"v\" : failed to fetch token: serviceaccounts \"ghost\" not found",
                assertThrows(ContainerConfigError.class, () -> volumes.prepare(ghost, CONTEXT)).getMessage());
        assertTrue(assertThrows(ContainerConfigError.class, () -> volumes.prepare(bundle, CONTEXT)).getMessage()
                .contains("a projected source this node does not support"));
    }

    private static Pod podWithToken(String serviceAccount, String uid, ServiceAccountTokenProjection token) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid(uid).endMetadata()
                .withNewSpec().withServiceAccountName(serviceAccount)
                .addNewVolume().withName("v").withNewProjected()
                .addNewSource().withServiceAccountToken(token).endSource()
                .addNewSource().withNewConfigMap().withName("settings").endConfigMap().endSource()
                .endProjected().endVolume()
                .addNewContainer().withName("c").withImage("i").endContainer().endSpec().build();
    }

    private static Pod podWithConfigMap(String name, boolean optional) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u-" + optional).endMetadata()
                .withNewSpec().addNewVolume().withName("v").withNewConfigMap().withName(name).withOptional(optional).endConfigMap().endVolume()
                .addNewContainer().withName("c").withImage("i").endContainer().endSpec().build();
    }
}
