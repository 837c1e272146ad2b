package io.quarkube.agent.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.client.Config;
import io.quarkube.agent.runtime.ContainerRuntime;
import io.vertx.core.Vertx;

/**
 * Starts a node's {@link AgentServer} from what the agent already has: the cluster CA of its
 * kubeconfig (clients must present a certificate it signed), the node's name and address (for the
 * self-signed serving certificate) and the port the node publishes as its kubelet endpoint.
 */
public final class NodeServer {

    private static final Logger LOG = Logger.getLogger(NodeServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private NodeServer() {
    }

    /**
     * Listens on all addresses at port; empty (after logging why) when the server cannot start, so
     * the node still runs its pods without logs, exec and port-forward.
     */
    public static Optional<AgentServer> start(Vertx vertx, ContainerRuntime runtime, Config kubeconfig, String nodeName,
            String internalIp, int port) {
        try {
            AgentServer.Settings settings = new AgentServer.Settings("0.0.0.0", port, clusterCaPem(kubeconfig),
                    ServingCertificate.selfSigned(nodeName, List.of(internalIp)));
            return Optional.of(AgentServer.start(vertx, runtime, settings).toCompletionStage().toCompletableFuture()
                    .get(START_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
        } catch (Exception e) {
            LOG.errorf("not serving container logs, exec and port-forward on port %d: %s", port, e.getMessage());
            return Optional.empty();
        }
    }

    /** The CA certificate of the kubeconfig's cluster, PEM: inline data or a file. */
    static String clusterCaPem(Config kubeconfig) {
        if (kubeconfig.getCaCertData() != null && !kubeconfig.getCaCertData().isBlank()) {
            return new String(Base64.getDecoder().decode(kubeconfig.getCaCertData().trim()), StandardCharsets.US_ASCII);
        }
        if (kubeconfig.getCaCertFile() != null && !kubeconfig.getCaCertFile().isBlank()) {
            try {
                return Files.readString(Path.of(kubeconfig.getCaCertFile()), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("the kubeconfig names no cluster CA: clients of the node's server could not be verified");
    }
}
