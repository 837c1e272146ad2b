package io.quarkube.api.streaming;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.MultiMap;

/**
 * The query of an exec, attach or port-forward request as kube-apiserver passes it to the kubelet:
 * the stream flags as {@code input}, {@code output}, {@code error} and {@code tty} set to 1, each
 * command word as a {@code command} parameter, the ports as {@code port}.
 */
final class StreamQuery {

    private StreamQuery() {
    }

    static String execOrAttach(MultiMap params, boolean withCommand) {
        List<String> query = new ArrayList<>();
        flag(params, "stdin", "input", query);
        flag(params, "stdout", "output", query);
        flag(params, "stderr", "error", query);
        flag(params, "tty", "tty", query);
        if (withCommand) {
            for (String word : params.getAll("command")) {
                query.add("command=" + encode(word));
            }
        }
        return String.join("&", query);
    }

    static String portForward(MultiMap params) {
        List<String> ports = new ArrayList<>();
        for (String value : params.getAll("ports")) {
            ports.add(value);
        }
        return ports.isEmpty() ? "" : "port=" + encode(String.join(",", ports));
    }

    private static void flag(MultiMap params, String name, String agentName, List<String> query) {
        String value = params.get(name);
        if (value != null && List.of("1", "t", "T", "true", "TRUE", "True").contains(value)) {
            query.add(agentName + "=1");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
