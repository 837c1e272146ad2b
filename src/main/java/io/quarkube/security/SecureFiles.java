package io.quarkube.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files whose mode is right from their first byte: content goes to a temporary file created
 * with the final permissions, which then replaces the target atomically, so a key is never briefly
 * world-readable and a crash never leaves half a certificate behind.
 */
final class SecureFiles {

    static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");
    static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private SecureFiles() {
    }

    /** Creates the directory and missing parents with mode 0700; an existing directory is left as it is. */
    static void createPrivateDirectory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, attributes(dir, PRIVATE_DIRECTORY));
            }
        } catch (FileAlreadyExistsException e) {
            throw new UncheckedIOException("not a directory: " + dir, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    static void write(Path target, byte[] content, Set<PosixFilePermission> permissions) {
        try {
            viaTemporaryFile(target, content, permissions,
                    temp -> Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /**
     * As {@link #write}, unless target exists: then nothing is written and the answer is false. Of
     * several processes creating the same file at once, exactly one succeeds.
     */
    static boolean writeIfAbsent(Path target, byte[] content, Set<PosixFilePermission> permissions) {
        try {
            // a hard link is created whole or not at all, and never over an existing file
            viaTemporaryFile(target, content, permissions, temp -> Files.createLink(target, temp));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    private interface Placement {
        void place(Path temp) throws IOException;
    }

    /** Writes content to a new file beside target, with the final permissions, and lets placement put it in place. */
    private static void viaTemporaryFile(Path target, byte[] content, Set<PosixFilePermission> permissions, Placement placement)
            throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", attributes(dir, permissions));
        try {
            Files.write(temp, content);
            placement.place(temp);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    // File systems without POSIX modes (not the Linux targets quarkube runs on) get no attributes.
    private static FileAttribute<?>[] attributes(Path path, Set<PosixFilePermission> permissions) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
    }
}
