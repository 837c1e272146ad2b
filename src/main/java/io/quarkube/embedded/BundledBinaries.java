package io.quarkube.embedded;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/** Unpacks the PostgreSQL and Redis server binaries that ship inside jars on the classpath. */
final class BundledBinaries {

    private BundledBinaries() {
    }

    /**
     * Unpacks the tar.xz classpath resource into target once; a marker file records a finished
     * unpack so an interrupted one is redone.
     */
    static Path unpackTarXz(String resource, Path target) {
        Path marker = target.resolve(".unpacked");
        if (Files.exists(marker)) {
            return target;
        }
        try (InputStream raw = open(resource);
                TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(raw)))) {
            Files.createDirectories(target);
            setPermissions(target, "rwxr-xr-x");
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("archive entry outside target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    setPermissions(out, "rwxr-xr-x");
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(out.getParent());
                    Files.deleteIfExists(out);
                    Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                    setPermissions(out, (entry.getMode() & 0100) != 0 ? "rwxr-xr-x" : "rw-r--r--");
                }
            }
            Files.createFile(marker);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + resource + " into " + target, e);
        }
    }

    /** Copies a single executable classpath resource to target (once). */
    static Path copyExecutable(String resource, Path target) {
        if (Files.isExecutable(target)) {
            return target;
        }
        try (InputStream in = open(resource)) {
            Files.createDirectories(target.getParent());
            Path partial = target.resolveSibling(target.getFileName() + ".partial");
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            setPermissions(partial, "rwxr-xr-x");
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + resource + " to " + target, e);
        }
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = BundledBinaries.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("resource " + resource + " is not on the classpath");
        }
        return in;
    }

    static void setPermissions(Path path, String permissions) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    }
}
