package io.quarkube.storage;

import java.util.function.Predicate;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a list asks for.
 *
 * @param resourceVersion "" (consistent, from the database), "0" (any, from this replica's cache) or a revision
 * @param match           "" / "NotOlderThan" / "Exact"
 * @param limit           page size, 0 for all
 * @param continueToken   from the previous page, or ""
 * @param selects         label and field selectors
 */
public record ListRequest(String resource, String namespace, String resourceVersion, String match, long limit,
        String continueToken, Predicate<ObjectNode> selects) {
}
