package io.quarkube.agent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The agent's command line: {@code --kubeconfig FILE --node-name NAME --runtime cri|simulated
 * [--cri-socket PATH] [--simulate-nodes N]}, or {@code --cleanup-proxy} alone.
 */
public record AgentArguments(Path kubeconfig, String nodeName, Runtime runtime, Optional<Path> criSocket, int simulateNodes) {

    public enum Runtime { CRI, SIMULATED }

    public static final String USAGE =
            "usage: agent --kubeconfig FILE --node-name NAME --runtime cri|simulated [--cri-socket PATH] [--simulate-nodes N]"
            + " | agent --cleanup-proxy";
    private static final List<String> OPTIONS = List.of("--kubeconfig", "--node-name", "--runtime", "--cri-socket", "--simulate-nodes");
    public static final Path DEFAULT_CRI_SOCKET = Path.of("/run/containerd/containerd.sock");

    /** {@code --cleanup-proxy}: remove the service proxy's iptables chains and exit, as kube-proxy --cleanup. */
    public static boolean isCleanupProxy(String... args) {
        return args.length == 1 && args[0].equals("--cleanup-proxy");
    }

    public static AgentArguments parse(String... args) {
        Path kubeconfig = null;
        String nodeName = null;
        Runtime runtime = null;
        Path criSocket = null;
        Integer simulateNodes = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (!OPTIONS.contains(option)) {
                throw new IllegalArgumentException("unknown option " + option + "; " + USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value; " + USAGE);
            }
            String value = args[++i];
            switch (option) {
                case "--kubeconfig" -> kubeconfig = Path.of(value);
                case "--node-name" -> nodeName = value;
                case "--runtime" -> runtime = switch (value) {
                    case "cri" -> Runtime.CRI;
                    case "simulated" -> Runtime.SIMULATED;
                    default -> throw new IllegalArgumentException("--runtime is cri or simulated, not " + value);
                };
                case "--cri-socket" -> criSocket = Path.of(value);
                case "--simulate-nodes" -> {
                    try {
                        simulateNodes = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--simulate-nodes needs a number, not " + value);
                    }
                    if (simulateNodes < 1) {
                        throw new IllegalArgumentException("--simulate-nodes needs at least 1");
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + option + "; " + USAGE);
            }
        }
        if (kubeconfig == null || nodeName == null || runtime == null) {
            throw new IllegalArgumentException(USAGE);
        }
        if (simulateNodes != null && runtime != Runtime.SIMULATED) {
            throw new IllegalArgumentException("--simulate-nodes needs --runtime simulated");
        }
        if (criSocket != null && runtime != Runtime.CRI) {
            throw new IllegalArgumentException("--cri-socket needs --runtime cri");
        }
        return new AgentArguments(kubeconfig, nodeName, runtime,
                runtime == Runtime.CRI ? Optional.of(criSocket == null ? DEFAULT_CRI_SOCKET : criSocket) : Optional.empty(),
                simulateNodes == null ? 0 : simulateNodes);
    }

    /** NAME, or NAME-0 .. NAME-(N-1) with --simulate-nodes N. */
    public List<String> nodeNames() {
        if (simulateNodes == 0) {
            return List.of(nodeName);
        }
        List<String> names = new ArrayList<>(simulateNodes);
        for (int i = 0; i < simulateNodes; i++) {
            names.add(nodeName + "-" + i);
        }
        return names;
    }
}
