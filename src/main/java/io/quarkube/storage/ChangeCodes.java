package io.quarkube.storage;

/** The {@code event} column of the change log. */
final class ChangeCodes {
    static final int ADDED = 0;
    static final int MODIFIED = 1;
    static final int DELETED = 2;
    /** A revision that carries no change: a write that lost its condition, or a gap filled by a reader. */
    static final int NONE = 3;

    private ChangeCodes() {
    }
}
