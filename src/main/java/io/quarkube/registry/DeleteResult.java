package io.quarkube.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The outcome of a delete.
 *
 * @param object  the object as deleted, or as marked for deletion
 * @param pending true when the object still exists (finalizers or graceful termination pending)
 */
public record DeleteResult(ObjectNode object, boolean pending) {
}
