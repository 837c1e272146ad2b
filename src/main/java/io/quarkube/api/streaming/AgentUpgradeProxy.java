package io.quarkube.api.streaming;

import java.util.Set;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetSocket;

/**
 * Passes an upgrade request (SPDY/3.1 or WebSocket, for exec, attach and port-forward) on to a node
 * agent and, once the agent answers 101 Switching Protocols, joins the two connections byte for
 * byte, as kube-apiserver's upgrade-aware proxy does. The 101's headers (the negotiated
 * {@code X-Stream-Protocol-Version}, {@code Sec-WebSocket-Accept}/{@code -Protocol}) reach the
 * client unchanged; any other answer is relayed as it is.
 */
final class AgentUpgradeProxy {

    /** Headers that describe the client's hop to the control plane, not the request. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "authorization", "content-length", "transfer-encoding");
    /** The body is framed anew on this hop; Connection and Upgrade go back as the agent sent them. */
    private static final Set<String> NOT_COPIED_BACK = Set.of("content-length", "transfer-encoding");

    private AgentUpgradeProxy() {
    }

    static boolean isUpgrade(HttpServerRequest request) {
        String connection = request.getHeader("Connection");
        return request.getHeader("Upgrade") != null && connection != null && connection.toLowerCase().contains("upgrade");
    }

    static void copyRequestHeaders(MultiMap from, MultiMap to) {
        for (String name : from.names()) {
            if (!NOT_FORWARDED.contains(name.toLowerCase())) {
                to.set(name, from.getAll(name));
            }
        }
    }

    /**
     * Completes the client's request with the agent's answer to the forwarded upgrade: a tunnel
     * after 101, else the agent's status, headers and body.
     */
    static Future<Void> complete(HttpServerRequest client, HttpClientResponse agent) {
        HttpServerResponse response = client.response();
        if (agent.statusCode() != 101) {
            response.setStatusCode(agent.statusCode());
            copyResponseHeaders(agent.headers(), response.headers());
            // the body is relayed as it comes: its length only if the other side declared one
            String length = agent.getHeader("Content-Length");
            if (length != null) {
                response.putHeader("Content-Length", length);
            } else {
                response.setChunked(true);
            }
            return agent.pipeTo(response);
        }
        copyResponseHeaders(agent.headers(), response.headers());
        NetSocket agentSocket = agent.netSocket();
        // held until both sides are joined: what arrives meanwhile waits instead of meeting no handler
        agentSocket.pause();
        return UpgradedSocket.of(client).map(clientSocket -> {
            SocketTunnel.join(clientSocket, agentSocket);
            return null;
        });
    }

    private static void copyResponseHeaders(MultiMap from, MultiMap to) {
        for (String name : from.names()) {
            if (!NOT_COPIED_BACK.contains(name.toLowerCase())) {
                to.set(name, from.getAll(name));
            }
        }
    }

}
