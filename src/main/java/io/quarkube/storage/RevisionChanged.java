package io.quarkube.storage;

/** A conditional write found the object at another revision than the one it read; the caller re-reads and retries. */
final class RevisionChanged extends RuntimeException {
    RevisionChanged() {
        super("the object changed since it was read", null, false, false);
    }
}
