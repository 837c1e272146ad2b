package io.quarkube.agent.node;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Quantity;
import io.quarkube.agent.config.AgentConfig;

/**
 * What a node reports about the machine it runs on: capacity, addresses, operating system and
 * the versions of the kubelet and the container runtime.
 */
public record NodeFacts(
        Quantity cpu, Quantity memory, Quantity ephemeralStorage, int maxPods,
        String internalIp, String os, String arch, String kernelVersion, String osImage,
        String containerRuntimeVersion, String kubeletVersion, int kubeletPort) {

    /** The Kubernetes version whose kubelet behaviour the agent follows. */
    public static final String KUBELET_VERSION = "v1.33.0-quarkube";

    /** Facts of this host, with the overrides of the configuration applied. */
    public static NodeFacts ofHost(AgentConfig.NodeSettings config, String containerRuntimeVersion, Path storageRoot) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new NodeFacts(
                config.cpu().map(Quantity::new).orElseGet(() -> new Quantity(Integer.toString(Runtime.getRuntime().availableProcessors()))),
                config.memory().map(Quantity::new).orElseGet(() -> new Quantity(os.getTotalMemorySize() / 1024 + "Ki")),
                config.ephemeralStorage().map(Quantity::new).orElseGet(() -> new Quantity(diskBytes(storageRoot) / 1024 + "Ki")),
                config.maxPods(),
                config.internalIp().orElseGet(NodeFacts::firstAddress),
                System.getProperty("os.name").toLowerCase(Locale.ROOT),
                goArch(System.getProperty("os.arch")),
                System.getProperty("os.version"),
                readOsImage(),
                containerRuntimeVersion,
                KUBELET_VERSION,
                config.kubeletPort());
    }

    /** Go's GOARCH names, which the kubernetes.io/arch label carries. */
    static String goArch(String javaArch) {
        return switch (javaArch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> javaArch;
        };
    }

    private static long diskBytes(Path root) {
        Path existing = root.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            FileStore store = Files.getFileStore(existing == null ? Path.of("/") : existing);
            return store.getTotalSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String readOsImage() {
        try {
            return Files.readAllLines(Path.of("/etc/os-release")).stream()
                    .filter(line -> line.startsWith("PRETTY_NAME="))
                    .map(line -> line.substring("PRETTY_NAME=".length()).replace("\"", ""))
                    .findFirst().orElse("Linux");
        } catch (IOException e) {
            return "Linux";
        }
    }

    private static String firstAddress() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback() || nic.isVirtual()) {
                    continue;
                }
                Optional<InetAddress> v4 = Collections.list(nic.getInetAddresses()).stream()
                        .filter(Inet4Address.class::isInstance).findFirst();
                if (v4.isPresent()) {
                    return v4.get().getHostAddress();
                }
            }
        } catch (SocketException e) {
            // fall through to the loopback address
        }
        return "127.0.0.1";
    }
}
