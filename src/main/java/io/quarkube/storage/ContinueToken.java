package io.quarkube.storage;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;

/** Where a paginated list continues: the revision all its pages are read at, and the last key returned. */
record ContinueToken(long revision, String namespace, String name) {

    String encode() {
        ObjectNode token = Json.object().put("rv", revision).put("ns", namespace).put("name", name);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(token).getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a token; IllegalArgumentException for anything not produced by {@link #encode}. */
    static ContinueToken decode(String encoded) {
        try {
            ObjectNode token = Json.parseObject(new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8));
            if (!token.path("rv").canConvertToLong() || !token.path("ns").isTextual() || !token.path("name").isTextual()) {
                throw new IllegalArgumentException("continue key is not valid");
            }
            return new ContinueToken(token.get("rv").asLong(), token.get("ns").asText(), token.get("name").asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("continue key is not valid: " + e.getMessage(), e);
        }
    }
}
