package io.quarkube.agent.pods;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Secret;
import io.quarkube.agent.cri.v1.AuthConfig;

/**
 * The registry credentials of a pod's imagePullSecrets that apply to one image, in the kubelet's way:
 * secrets of type kubernetes.io/dockerconfigjson ({@code .dockerconfigjson}, {"auths": {...}}) or
 * kubernetes.io/dockercfg ({@code .dockercfg}), each entry keyed by a registry host, optionally with a
 * scheme and a path prefix ("https://index.docker.io/v1/", "registry.example:5000/team"). An entry applies
 * when the image's registry equals its host (docker.io, index.docker.io and registry-1.docker.io count as
 * one) and the image's repository starts with its path. The kubelet tries each in turn; none means an
 * anonymous pull.
 */
public final class ImagePullCredentials {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> DOCKER_HUB = Set.of("docker.io", "index.docker.io", "registry-1.docker.io");

    private ImagePullCredentials() {
    }

    public static List<AuthConfig> forImage(String image, List<Secret> secrets) {
        String reference = repository(image);
        List<AuthConfig> matches = new ArrayList<>();
        for (Secret secret : secrets) {
            JsonNode entries = entries(secret);
            for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                String key = normalizedKey(entry.getKey());
                if (applies(key, reference)) {
                    matches.add(authConfig(entry.getValue()));
                }
            }
        }
        return matches;
    }

    /** registry/path of the image, without tag or digest; docker.io for names without a registry. */
    static String repository(String image) {
        String name = image;
        int at = name.indexOf('@');
        if (at >= 0) {
            name = name.substring(0, at);
        }
        int slash = name.lastIndexOf('/');
        int colon = name.lastIndexOf(':');
        if (colon > slash) {
            name = name.substring(0, colon);
        }
        int first = name.indexOf('/');
        String head = first < 0 ? "" : name.substring(0, first);
        boolean hasRegistry = first >= 0 && (head.contains(".") || head.contains(":") || head.equals("localhost"));
        if (!hasRegistry) {
            return "docker.io/" + (name.contains("/") ? name : "library/" + name);
        }
        return canonicalHost(head) + name.substring(first);
    }

    /** host[/path] of a credential key, without scheme, trailing slash or the registry API's /v1 or /v2. */
    static String normalizedKey(String key) {
        String text = key.strip();
        int scheme = text.indexOf("://");
        if (scheme >= 0) {
            text = text.substring(scheme + 3);
        }
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        for (String api : List.of("/v1", "/v2")) {
            if (text.endsWith(api)) {
                text = text.substring(0, text.length() - api.length());
            }
        }
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        return canonicalHost(host) + (slash < 0 ? "" : text.substring(slash));
    }

    private static String canonicalHost(String host) {
        return DOCKER_HUB.contains(host) ? "docker.io" : host;
    }

    static boolean applies(String key, String repository) {
        return repository.equals(key) || repository.startsWith(key + "/");
    }

    private static JsonNode entries(Secret secret) {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        try {
            if (data.containsKey(".dockerconfigjson")) {
                JsonNode auths = JSON.readTree(Base64.getDecoder().decode(data.get(".dockerconfigjson"))).path("auths");
                return auths.isObject() ? auths : JSON.createObjectNode();
            }
            if (data.containsKey(".dockercfg")) {
                JsonNode config = JSON.readTree(Base64.getDecoder().decode(data.get(".dockercfg")));
                return config.isObject() ? config : JSON.createObjectNode();
            }
        } catch (IOException | IllegalArgumentException unreadable) {
            // The kubelet skips a secret it cannot parse, as if it held no credentials.
        }
        return JSON.createObjectNode();
    }

    private static AuthConfig authConfig(JsonNode entry) {
        String username = entry.path("username").asText("");
        String password = entry.path("password").asText("");
        String auth = entry.path("auth").asText("");
        if (username.isEmpty() && !auth.isEmpty()) {
            // "auth" is base64("user:password"): the CRI accepts either form; give both parts explicitly.
            String decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon >= 0) {
                username = decoded.substring(0, colon);
                password = decoded.substring(colon + 1);
            }
        }
        // No server_address, as the kubelet sends none: the entry was matched here, and containerd compares
        // server_address with the host it pulls from (registry-1.docker.io for docker.io), dropping a mismatch.
        return AuthConfig.newBuilder()
                .setUsername(username)
                .setPassword(password)
                .setIdentityToken(entry.path("identitytoken").asText(""))
                .setRegistryToken(entry.path("registrytoken").asText(""))
                .build();
    }
}
