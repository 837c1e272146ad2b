package io.quarkube.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One change as a watcher sees it. {@code previous} is the object before the change (null for
 * ADDED), used to decide whether a change moves an object into or out of a watcher's selection.
 */
public record WatchEvent(Type type, long revision, ObjectKey key, ObjectNode object, ObjectNode previous) {

    public enum Type {
        ADDED, MODIFIED, DELETED, BOOKMARK, ERROR;

        static Type fromCode(int code) {
            return switch (code) {
                case ChangeCodes.ADDED -> ADDED;
                case ChangeCodes.MODIFIED -> MODIFIED;
                case ChangeCodes.DELETED -> DELETED;
                default -> throw new IllegalArgumentException("change code " + code);
            };
        }
    }

    public WatchEvent withType(Type newType) {
        return new WatchEvent(newType, revision, key, object, previous);
    }
}
