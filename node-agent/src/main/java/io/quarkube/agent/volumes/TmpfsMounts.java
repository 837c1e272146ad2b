package io.quarkube.agent.volumes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.quarkube.agent.pods.ContainerConfigError;

/**
 * tmpfs mounts for memory-backed volumes, made with mount(8) and umount(8) as the kubelet's mounter does
 * (Java has no mount call); what is mounted is read from /proc/self/mountinfo.
 */
final class TmpfsMounts {

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
    private static final long COMMAND_TIMEOUT_SECONDS = 30;

    private TmpfsMounts() {
    }

    /** Mounts a world-writable tmpfs on dir unless one is there already; size in bytes, or the kernel's default (half the RAM). */
    static void ensureMounted(Path dir, Optional<Long> sizeBytes) {
        if (mountPointsUnder(dir).contains(dir)) {
            return;
        }
        String options = "mode=0777" + sizeBytes.map(size -> ",size=" + size).orElse("");
        run("MountVolume.SetUp failed for a memory-backed emptyDir", "mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString());
    }

    /** Unmounts every mount point at or under dir, deepest first. */
    static void unmountAllUnder(Path dir) {
        List<Path> mounts = mountPointsUnder(dir);
        mounts.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path mount : mounts) {
            run("UnmountVolume.TearDown failed", "umount", mount.toString());
        }
    }

    /** Mount points at or under dir (mountinfo's fifth field; octal escapes of spaces and the like decoded). */
    static List<Path> mountPointsUnder(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        try {
            return new java.util.ArrayList<>(Files.readAllLines(MOUNTINFO).stream()
                    .map(line -> line.split(" "))
                    .filter(fields -> fields.length > 4)
                    .map(fields -> Path.of(unescape(fields[4])))
                    .filter(mount -> mount.startsWith(absolute))
                    .distinct()
                    .toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The line of mountinfo for a mount point, for tests and diagnostics. */
    static Optional<String> mountInfo(Path mountPoint) {
        try {
            return Files.readAllLines(MOUNTINFO).stream()
                    .filter(line -> {
                        String[] fields = line.split(" ");
                        return fields.length > 4 && Path.of(unescape(fields[4])).equals(mountPoint.toAbsolutePath().normalize());
                    })
                    .reduce((first, last) -> last);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String unescape(String field) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                text.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }

    private static void run(String failure, String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new ContainerConfigError(failure + ": " + String.join(" ", command) + " did not finish");
            }
            String output = new String(process.getInputStream().readAllBytes()).strip();
            if (process.exitValue() != 0) {
                throw new ContainerConfigError(failure + ": " + String.join(" ", command) + ": " + output);
            }
        } catch (IOException e) {
            throw new ContainerConfigError(failure + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerConfigError(failure + ": interrupted");
        }
    }
}
