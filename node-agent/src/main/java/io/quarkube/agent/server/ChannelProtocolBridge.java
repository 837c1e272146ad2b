package io.quarkube.agent.server;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

import org.jboss.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetSocket;

/**
 * Where WebSocket clients meet a runtime that streams over SPDY/3.1 (containerd 1.6's streaming
 * server only knows WebSocket channel protocols up to v4 and SPDY for port-forward).
 *
 * <p>Port-forward over WebSocket ({@code SPDY/3.1+portforward.k8s.io}, kubectl 1.31+) carries SPDY
 * frames inside binary WebSocket messages: the bridge upgrades a SPDY/3.1 connection to the runtime
 * and copies the bytes between the two. Exec and attach over WebSocket with the channel protocols
 * up to {@code v4.channel.k8s.io} are the runtime's own and go to it unchanged; a client offering
 * only {@code v5.channel.k8s.io} (kubectl 1.30+) is answered 400 Bad Request, on which kubectl
 * retries with SPDY/3.1 (v5's close signal for stdin has no v4 counterpart to carry it).
 */
final class ChannelProtocolBridge implements AutoCloseable {

    static final String PORT_FORWARD_TUNNEL = "SPDY/3.1+portforward.k8s.io";
    static final String PORT_FORWARD_PROTOCOL = "portforward.k8s.io";
    private static final Logger LOG = Logger.getLogger(ChannelProtocolBridge.class);

    private final HttpClient client;

    ChannelProtocolBridge(Vertx vertx) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(10_000));
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

    /** The answer to exec and attach over WebSocket v5 only: 400, on which kubectl 1.30+ retries with SPDY/3.1. */
    static AgentRequestException execOverWebSocketRefused() {
        return AgentRequestException.badRequest("exec and attach over WebSocket need one of the channel protocols "
                + RUNTIME_CHANNEL_PROTOCOLS + " on this node; kubectl retries with SPDY/3.1");
    }

    /** Accepts the WebSocket tunnel, then joins it to a SPDY/3.1 port-forward connection to the runtime. */
    Future<Void> portForward(HttpServerRequest request, String runtimeUrl) {
        String offered = request.getHeader("Sec-WebSocket-Protocol");
        if (offered == null || !offered.contains(PORT_FORWARD_TUNNEL)) {
            return Future.failedFuture(AgentRequestException.badRequest("port-forward over WebSocket needs the subprotocol "
                    + PORT_FORWARD_TUNNEL));
        }
        return spdyUpgrade(runtimeUrl, PORT_FORWARD_PROTOCOL).compose(runtime -> request.toWebSocket()
                .onFailure(failure -> runtime.close())
                .map(webSocket -> {
                    SocketTunnel.join(webSocket, runtime);
                    return null;
                }));
    }

    /** A connection to the runtime's streaming URL switched to SPDY/3.1 with the given stream protocol. */
    private Future<NetSocket> spdyUpgrade(String runtimeUrl, String streamProtocol) {
        URI target = URI.create(runtimeUrl);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(target.getHost())
                .setPort(target.getPort() > 0 ? target.getPort() : 80).setURI(target.getRawPath())
                .putHeader("Connection", "Upgrade").putHeader("Upgrade", "SPDY/3.1")
                .putHeader("X-Stream-Protocol-Version", streamProtocol);
        return client.request(options).compose(request -> {
            // the connection ends with the tunnel; that is no error of the request
            request.exceptionHandler(closed -> LOG.debugf("port-forward connection closed: %s", closed.getMessage()));
            return request.connect();
        }).compose(response -> {
            if (response.statusCode() != 101) {
                return response.body().compose(body -> Future.failedFuture(new AgentRequestException(response.statusCode(),
                        "the runtime refused the stream: " + body)));
            }
            NetSocket runtime = response.netSocket();
            // held until joined to the WebSocket: what arrives meanwhile waits instead of meeting no handler
            runtime.pause();
            return Future.succeededFuture(runtime);
        });
    }

    @Override
    public void close() {
        client.close();
    }
}
