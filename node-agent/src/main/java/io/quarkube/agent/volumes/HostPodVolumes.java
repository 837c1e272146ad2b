package io.quarkube.agent.volumes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.quarkube.agent.pods.ContainerConfigError;
import io.quarkube.agent.pods.ContainerConfigs;
import io.quarkube.agent.pods.PodVolumes;

/**
 * A pod's volumes as directories under ROOT/pods/UID/volumes/KIND/NAME, the kubelet's layout:
 * emptyDir (a memory-backed one on a tmpfs of its sizeLimit), hostPath, and the files of configMap,
 * secret, downwardAPI and projected volumes (with service account tokens bound to the pod), rewritten on
 * every sync so updates and renewed tokens reach the pod.
 */
public final class HostPodVolumes implements PodVolumes {

    private final Path root;
    private final ProjectedTokens tokens;

    public HostPodVolumes(Path root) {
        this(root, Clock.systemUTC());
    }

    HostPodVolumes(Path root, Clock clock) {
        this.root = root;
        this.tokens = new ProjectedTokens(clock);
    }

    Path podDirectory(String uid) {
        return root.resolve("pods").resolve(uid);
    }

    @Override
    public Map<String, String> prepare(Pod pod, ContainerConfigs.PodContext context) {
        Map<String, String> paths = new HashMap<>();
        Path volumes = podDirectory(pod.getMetadata().getUid()).resolve("volumes");
        for (Volume volume : pod.getSpec().getVolumes()) {
            if (volume.getHostPath() != null) {
                paths.put(volume.getName(), volume.getHostPath().getPath());
                continue;
            }
            Path dir;
            Map<String, byte[]> files;
            if (volume.getEmptyDir() != null) {
                dir = volumes.resolve("kubernetes.io~empty-dir").resolve(volume.getName());
                files = null;
            } else if (volume.getConfigMap() != null) {
                dir = volumes.resolve("kubernetes.io~configmap").resolve(volume.getName());
                var source = volume.getConfigMap();
                files = configMapFiles(pod, source.getName(), source.getItems(), Boolean.TRUE.equals(source.getOptional()), context);
            } else if (volume.getSecret() != null) {
                dir = volumes.resolve("kubernetes.io~secret").resolve(volume.getName());
                var source = volume.getSecret();
                files = secretFiles(pod, source.getSecretName(), source.getItems(), Boolean.TRUE.equals(source.getOptional()), context);
            } else if (volume.getDownwardAPI() != null) {
                dir = volumes.resolve("kubernetes.io~downward-api").resolve(volume.getName());
                files = downwardFiles(pod, volume.getDownwardAPI().getItems(), context);
            } else if (volume.getProjected() != null) {
                dir = volumes.resolve("kubernetes.io~projected").resolve(volume.getName());
                files = new LinkedHashMap<>();
                for (VolumeProjection projection : volume.getProjected().getSources()) {
                    if (projection.getConfigMap() != null) {
                        var source = projection.getConfigMap();
                        files.putAll(configMapFiles(pod, source.getName(), source.getItems(), Boolean.TRUE.equals(source.getOptional()), context));
                    } else if (projection.getSecret() != null) {
                        var source = projection.getSecret();
                        files.putAll(secretFiles(pod, source.getName(), source.getItems(), Boolean.TRUE.equals(source.getOptional()), context));
                    } else if (projection.getDownwardAPI() != null) {
                        files.putAll(downwardFiles(pod, projection.getDownwardAPI().getItems(), context));
                    } else if (projection.getServiceAccountToken() != null) {
                        files.put(projection.getServiceAccountToken().getPath(),
                                tokens.token(pod, volume.getName(), projection.getServiceAccountToken(), context.sources()));
                    } else {
                        // clusterTrustBundle and podCertificate: refused rather than left out of the volume
                        throw new ContainerConfigError("MountVolume.SetUp failed for volume \"" + volume.getName()
                                + "\" : a projected source this node does not support (only configMap, secret, downwardAPI and serviceAccountToken)");
                    }
                }
            } else {
                throw new ContainerConfigError("volume \"" + volume.getName() + "\" has a type this node does not support");
            }
            createDirectory(dir);
            if (volume.getEmptyDir() != null && "Memory".equals(volume.getEmptyDir().getMedium())) {
                Optional<Long> size = Optional.ofNullable(volume.getEmptyDir().getSizeLimit())
                        .map(limit -> Quantity.getAmountInBytes(limit).longValue());
                TmpfsMounts.ensureMounted(dir, size);
            }
            if (files != null) {
                writeFiles(dir, files);
            }
            paths.put(volume.getName(), dir.toString());
        }
        return paths;
    }

    private static Map<String, byte[]> configMapFiles(Pod pod, String name, List<KeyToPath> items, boolean optional,
            ContainerConfigs.PodContext context) {
        Optional<ConfigMap> configMap = context.sources().configMap(pod.getMetadata().getNamespace(), name);
        if (configMap.isEmpty()) {
            if (optional) {
                return Map.of();
            }
            throw new ContainerConfigError("MountVolume.SetUp failed: configmap \"" + name + "\" not found");
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (configMap.get().getData() != null) {
            configMap.get().getData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        if (configMap.get().getBinaryData() != null) {
            configMap.get().getBinaryData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
        }
        return select(data, items, optional, "configmap " + name);
    }

    private static Map<String, byte[]> secretFiles(Pod pod, String name, List<KeyToPath> items, boolean optional,
            ContainerConfigs.PodContext context) {
        Optional<Secret> secret = context.sources().secret(pod.getMetadata().getNamespace(), name);
        if (secret.isEmpty()) {
            if (optional) {
                return Map.of();
            }
            throw new ContainerConfigError("MountVolume.SetUp failed: secret \"" + name + "\" not found");
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (secret.get().getData() != null) {
            secret.get().getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
        }
        if (secret.get().getStringData() != null) {
            secret.get().getStringData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        return select(data, items, optional, "secret " + name);
    }

    /** All keys as files, or only the listed items at their paths. */
    static Map<String, byte[]> select(Map<String, byte[]> data, List<KeyToPath> items, boolean optional, String what) {
        if (items == null || items.isEmpty()) {
            return data;
        }
        Map<String, byte[]> selected = new LinkedHashMap<>();
        for (KeyToPath item : items) {
            byte[] value = data.get(item.getKey());
            if (value == null) {
                if (optional) {
                    continue;
                }
                throw new ContainerConfigError("MountVolume.SetUp failed: " + what + " has no key " + item.getKey());
            }
            selected.put(item.getPath(), value);
        }
        return selected;
    }

    private static Map<String, byte[]> downwardFiles(Pod pod, List<DownwardAPIVolumeFile> items, ContainerConfigs.PodContext context) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (DownwardAPIVolumeFile item : items) {
            String value;
            if (item.getFieldRef() != null) {
                value = ContainerConfigs.fieldRef(pod, item.getFieldRef(), context);
            } else if (item.getResourceFieldRef() != null) {
                value = ContainerConfigs.resourceFieldRef(pod, pod.getSpec().getContainers().get(0), item.getResourceFieldRef(),
                        context.nodeAllocatable());
            } else {
                continue;
            }
            files.put(item.getPath(), value.getBytes(StandardCharsets.UTF_8));
        }
        return files;
    }

    /** Writes each file beside the old ones and renames it over them, so a reader never sees half a file. */
    static void writeFiles(Path dir, Map<String, byte[]> files) {
        try {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                String relative = file.getKey();
                if (relative.startsWith("/") || relative.equals("..") || relative.startsWith("../") || relative.contains("/../")) {
                    throw new ContainerConfigError("volume file path \"" + relative + "\" leaves the volume");
                }
                Path target = dir.resolve(relative);
                Files.createDirectories(target.getParent());
                if (Files.exists(target) && java.util.Arrays.equals(Files.readAllBytes(target), file.getValue())) {
                    continue;
                }
                Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
                Files.write(temp, file.getValue());
                Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
            // Containers may run as any user: the kubelet's emptyDir is world-writable (0777).
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** ROOT/pods/UID/containers/NAME/ATTEMPT, the kubelet's place for it, writable by any user of the container. */
    @Override
    public Path terminationMessageFile(String podUid, String containerName, int attempt) {
        Path file = podDirectory(podUid).resolve("containers").resolve(containerName).resolve(Integer.toString(attempt));
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    @Override
    public void cleanUp(String podUid) {
        tokens.forget(podUid);
        Path dir = podDirectory(podUid);
        if (!Files.exists(dir)) {
            return;
        }
        TmpfsMounts.unmountAllUnder(dir);
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
