package io.quarkube.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;

/** Namespaced creates need an existing namespace that is not terminating. */
interface NamespaceCheck {
    Uni<Void> checkWritable(ResourceType type, String namespace, ObjectNode object);
}
