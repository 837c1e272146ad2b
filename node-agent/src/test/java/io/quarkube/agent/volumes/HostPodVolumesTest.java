package io.quarkube.agent.volumes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import io.quarkube.agent.pods.ContainerConfigError;
import io.quarkube.agent.pods.ContainerConfigs;
import io.quarkube.agent.pods.EnvSources;

class HostPodVolumesTest {

    @TempDir
    Path root;

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
    };
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

    private static Pod podWithConfigMap(String name, boolean optional) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u-" + optional).endMetadata()
                .withNewSpec().addNewVolume().withName("v").withNewConfigMap().withName(name).withOptional(optional).endConfigMap().endVolume()
                .addNewContainer().withName("c").withImage("i").endContainer().endSpec().build();
    }
}
