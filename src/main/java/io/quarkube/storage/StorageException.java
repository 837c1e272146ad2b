package io.quarkube.storage;

/** A storage outcome the API reports to the client (not a server fault). */
public final class StorageException extends RuntimeException {

    public enum Reason {
        NOT_FOUND, ALREADY_EXISTS, CONFLICT, EXPIRED, TOO_LARGE_RESOURCE_VERSION
    }

    private final Reason reason;
    private final ObjectKey key;

    public StorageException(Reason reason, ObjectKey key, String message) {
        super(message, null, false, false);
        this.reason = reason;
        this.key = key;
    }

    static boolean isExpired(Throwable failure) {
        return failure instanceof StorageException e && e.reason == Reason.EXPIRED;
    }

    public Reason reason() {
        return reason;
    }

    public ObjectKey key() {
        return key;
    }

    public static StorageException notFound(ObjectKey key) {
        return new StorageException(Reason.NOT_FOUND, key, "not found");
    }

    public static StorageException alreadyExists(ObjectKey key) {
        return new StorageException(Reason.ALREADY_EXISTS, key, "already exists");
    }

    public static StorageException conflict(ObjectKey key, String message) {
        return new StorageException(Reason.CONFLICT, key, message);
    }

    /** kube-apiserver's words for a continue token whose revision compaction has dropped. */
    public static StorageException continueExpired() {
        return new StorageException(Reason.EXPIRED, null, "The provided continue parameter is too old to display a "
                + "consistent list result. You can start a new list without the continue parameter.");
    }

    public static StorageException expired(long requested, long oldest) {
        return new StorageException(Reason.EXPIRED, null,
                "too old resource version: " + requested + " (" + oldest + ")");
    }
}
