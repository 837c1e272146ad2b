package io.quarkube.api.table;

import java.util.Locale;

/** What each Table row carries besides its cells: the {@code includeObject} query parameter. */
public enum IncludeObject {
    /** No object in the row. */
    NONE,
    /** A {@code PartialObjectMetadata} with the object's metadata; what kubectl asks for by default. */
    METADATA,
    /** The whole object. */
    OBJECT;

    /**
     * Parses the query value ({@code None}, {@code Metadata}, {@code Object}; case is ignored).
     * An absent or empty value means {@link #METADATA}, as in kube-apiserver.
     *
     * @throws IllegalArgumentException for any other value
     */
    public static IncludeObject parse(String queryValue) {
        if (queryValue == null || queryValue.isEmpty()) {
            return METADATA;
        }
        return switch (queryValue.toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "metadata" -> METADATA;
            case "object" -> OBJECT;
            default -> throw new IllegalArgumentException(
                    "includeObject must be one of None, Metadata, Object, not \"" + queryValue + "\"");
        };
    }
}
