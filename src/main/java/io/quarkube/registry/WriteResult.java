package io.quarkube.registry;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The object a write produced, whether it created it, and warnings for the client (unknown fields under Warn). */
public record WriteResult(ObjectNode object, boolean created, List<String> warnings) {
}
