package io.quarkube.api.patch;

import java.util.Locale;
import java.util.Optional;

/** The patch formats of a Kubernetes PATCH request, named by the request's Content-Type. */
public enum PatchType {
    /** RFC 6902 JSON patch: a list of operations. */
    JSON_PATCH("application/json-patch+json"),
    /** RFC 7386 JSON merge patch: objects merge, null deletes, everything else replaces. */
    MERGE_PATCH("application/merge-patch+json"),
    /** Kubernetes strategic merge patch: merge patch with list merge keys and {@code $} directives. */
    STRATEGIC_MERGE_PATCH("application/strategic-merge-patch+json"),
    /** Server-side apply (the body is a partial object in YAML or JSON). */
    APPLY_PATCH("application/apply-patch+yaml");

    private final String mediaType;

    PatchType(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The patch type of a Content-Type header value; parameters such as {@code charset} are ignored. */
    public static Optional<PatchType> fromContentType(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        int semicolon = contentType.indexOf(';');
        String media = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        for (PatchType type : values()) {
            if (type.mediaType.equals(media)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
