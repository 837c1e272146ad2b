package io.quarkube;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkube.security.BindAddress;
import io.quarkube.security.ClusterCertificates;

/**
 * {@code kubeconfig --data-dir DIR --node NAME --out FILE [--server URL]}: writes the kubeconfig a
 * node agent authenticates with (user system:node:NAME, group system:nodes), signed by the cluster
 * CA in DIR. Runs without starting the control plane.
 */
final class NodeKubeconfigCommand {

    static final String NAME = "kubeconfig";
    private static final List<String> OPTIONS = List.of("--data-dir", "--node", "--out", "--server");

    private NodeKubeconfigCommand() {
    }

    /** Parses the options after the command name; throws IllegalArgumentException on a usage error. */
    static Path run(List<String> args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            String option = args.get(i);
            if (!OPTIONS.contains(option) || i + 1 >= args.size()) {
                throw new IllegalArgumentException("usage: kubeconfig --data-dir DIR --node NAME --out FILE [--server URL]");
            }
            options.put(option, args.get(i + 1));
        }
        for (String required : List.of("--data-dir", "--node", "--out")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("kubeconfig needs " + required);
            }
        }
        String server = options.getOrDefault("--server",
                BindAddress.of("127.0.0.1").serverUrl(ClusterCertificates.DEFAULT_PORT));
        return new ClusterCertificates(Path.of(options.get("--data-dir")).toAbsolutePath())
                .writeNodeKubeconfig(options.get("--node"), server, Path.of(options.get("--out")));
    }
}
