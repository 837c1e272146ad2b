package io.quarkube.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An object as storage holds it at one revision; {@code object.metadata.resourceVersion} is that
 * revision. Treat the tree as immutable: it is shared between the cache and every reader.
 */
public record StoredObject(ObjectKey key, long revision, ObjectNode object) {
}
