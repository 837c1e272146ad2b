package io.quarkube.controllers.deployment;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.quarkube.json.Json;

/**
 * The {@code pod-template-hash} of a Deployment's template: FNV-1a (32 bit) of the template,
 * without that label, and the collision count, written in kube's "safe" alphabet (no vowels, no
 * characters that could spell words). Stable for equal templates, so a Deployment finds its
 * ReplicaSets again by name.
 */
final class PodTemplateHash {

    static final String LABEL = "pod-template-hash";
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private PodTemplateHash() {
    }

    static String of(PodTemplateSpec template, Integer collisionCount) {
        ObjectNode canonical = withoutHashLabel(template);
        byte[] bytes = Json.write(canonical).getBytes(StandardCharsets.UTF_8);
        int hash = 0x811c9dc5;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        if (collisionCount != null) {
            for (byte b : Integer.toString(collisionCount).getBytes(StandardCharsets.UTF_8)) {
                hash ^= b & 0xff;
                hash *= 0x01000193;
            }
        }
        return safeEncode(Integer.toUnsignedString(hash));
    }

    /** The template as JSON with the hash label removed: what "the same template" compares. */
    static ObjectNode withoutHashLabel(PodTemplateSpec template) {
        ObjectNode node = Json.MAPPER.valueToTree(template);
        ObjectNode metadata = Json.with(node, "metadata");
        if (metadata.path("labels").isObject()) {
            ((ObjectNode) metadata.get("labels")).remove(LABEL);
        }
        return node;
    }

    /** kube's rand.SafeEncodeString: each character mapped into an alphabet without vowels. */
    static String safeEncode(String text) {
        StringBuilder encoded = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            encoded.append(ALPHABET.charAt(c % ALPHABET.length()));
        }
        return encoded.toString();
    }
}
