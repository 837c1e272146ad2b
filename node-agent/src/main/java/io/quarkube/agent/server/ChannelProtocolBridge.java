package io.quarkube.agent.server;

import java.util.Arrays;
import java.util.List;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

/**
 * Where WebSocket clients meet a runtime that streams over SPDY/3.1 (containerd 1.6's streaming
 * server knows WebSocket channel protocols only up to v4, and SPDY alone for port-forward): decides
 * which path an exec, attach or port-forward over WebSocket takes, and tunnels port-forward.
 *
 * <p>Exec and attach offering {@code v5.channel.k8s.io} (kubectl 1.30+ offers only that) are
 * translated to the runtime's SPDY streams by {@link WebSocketSpdyTranslator}, which carries v5's
 * close signal for stdin. Offers of the channel protocols up to {@code v4.channel.k8s.io} alone
 * (e.g. the Python client) are the runtime's own and go to it unchanged. An offer of neither is
 * answered 400 Bad Request.
 *
 * <p>Port-forward over WebSocket ({@code SPDY/3.1+portforward.k8s.io}, kubectl 1.31+) carries SPDY
 * frames inside binary WebSocket messages: the bridge upgrades a SPDY/3.1 connection to the runtime
 * and copies the bytes between the two.
 */
final class ChannelProtocolBridge {

    static final String PORT_FORWARD_TUNNEL = "SPDY/3.1+portforward.k8s.io";
    static final String PORT_FORWARD_PROTOCOL = "portforward.k8s.io";

    private final RuntimeSpdyConnector runtime;

    ChannelProtocolBridge(RuntimeSpdyConnector runtime) {
        this.runtime = runtime;
    }

    static boolean isWebSocket(HttpServerRequest request) {
        return "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
    }

    /** Channel protocols of exec and attach over WebSocket that the runtime's streaming server speaks itself. */
    static final List<String> RUNTIME_CHANNEL_PROTOCOLS = List.of("v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io",
            "channel.k8s.io", "base64.channel.k8s.io");

    static boolean offersRuntimeChannelProtocol(HttpServerRequest request) {
        String offered = request.getHeader("Sec-WebSocket-Protocol");
        return offered != null && Arrays.stream(offered.split(",")).map(String::trim).anyMatch(RUNTIME_CHANNEL_PROTOCOLS::contains);
    }

    /** The answer to exec and attach over WebSocket offering no channel protocol served here. */
    static AgentRequestException execOverWebSocketRefused() {
        return AgentRequestException.badRequest("exec and attach over WebSocket need one of the channel protocols "
                + WebSocketSpdyTranslator.PROTOCOL + ", " + String.join(", ", RUNTIME_CHANNEL_PROTOCOLS));
    }

    /** Accepts the WebSocket tunnel, then joins it to a SPDY/3.1 port-forward connection to the runtime. */
    Future<Void> portForward(HttpServerRequest request, String runtimeUrl) {
        String offered = request.getHeader("Sec-WebSocket-Protocol");
        if (offered == null || !offered.contains(PORT_FORWARD_TUNNEL)) {
            return Future.failedFuture(AgentRequestException.badRequest("port-forward over WebSocket needs the subprotocol "
                    + PORT_FORWARD_TUNNEL));
        }
        return runtime.connect(runtimeUrl, PORT_FORWARD_PROTOCOL).compose(socket -> request.toWebSocket()
                .onFailure(failure -> socket.close())
                .map(webSocket -> {
                    SocketTunnel.join(webSocket, socket);
                    return null;
                }));
    }
}
