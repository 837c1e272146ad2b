package io.quarkube.api.patch;

/** The {@code $}-prefixed keys strategic merge patch reads as instructions rather than data. */
final class Directives {

    /** {@code "$patch": "replace" | "delete"} on a map or a list item. */
    static final String PATCH = "$patch";
    static final String REPLACE = "replace";
    static final String DELETE = "delete";
    static final String MERGE = "merge";

    /** {@code "$retainKeys": [...]}: the keys of the map that survive the patch. */
    static final String RETAIN_KEYS = "$retainKeys";

    /** {@code "$setElementOrder/<field>": [...]}: the final order of the merged list {@code <field>}. */
    static final String SET_ELEMENT_ORDER = "$setElementOrder/";

    /** {@code "$deleteFromPrimitiveList/<field>": [...]}: values to remove from a merged list of primitives. */
    static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

    private Directives() {
    }

    /** The list field a prefixed directive key names, e.g. "containers" for "$setElementOrder/containers". */
    static String listField(String key, String prefix, String malformedMessage) {
        String field = key.substring(prefix.length());
        if (field.isEmpty()) {
            throw PatchException.badRequest(malformedMessage);
        }
        return field;
    }
}
