package io.quarkube.agent.server;

import java.net.URI;
import java.util.Set;

import org.jboss.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetSocket;

/**
 * Passes an exec, attach or port-forward upgrade request on to the URL the runtime's streaming
 * server gave for it (containerd: {@code http://127.0.0.1:PORT/exec/TOKEN}) and, after its 101,
 * joins the two connections byte for byte, as the kubelet's proxy does. The 101's headers (the
 * negotiated {@code X-Stream-Protocol-Version}) reach the client unchanged.
 */
final class RuntimeStreamProxy implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RuntimeStreamProxy.class);
    private static final Set<String> NOT_FORWARDED = Set.of("host", "authorization", "content-length", "transfer-encoding");
    private static final Set<String> NOT_COPIED_BACK = Set.of("content-length", "transfer-encoding");

    private final HttpClient client;

    RuntimeStreamProxy(Vertx vertx) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(10_000));
    }

    /** Forwards the request to url and completes it with the runtime's answer. */
    Future<Void> proxy(HttpServerRequest request, String url) {
        URI target = URI.create(url);
        // Vert.x's client switches to a tunnel only after a GET upgrade; the streaming servers of
        // containerd and CRI-O (the kubelet's code) take GET and POST alike.
        HttpMethod method = isUpgrade(request) ? HttpMethod.GET : request.method();
        RequestOptions options = new RequestOptions().setMethod(method).setHost(target.getHost())
                .setPort(target.getPort() > 0 ? target.getPort() : 80).setURI(target.getRawPath()
                        + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()));
        return client.request(options).compose(forwarded -> {
            copyHeaders(request.headers(), forwarded.headers(), NOT_FORWARDED);
            // the connection ends with the tunnel; that is no error of the request
            forwarded.exceptionHandler(closed -> LOG.debugf("stream connection closed: %s", closed.getMessage()));
            return forwarded.connect();
        }).compose(answer -> complete(request, answer));
    }

    static boolean isUpgrade(HttpServerRequest request) {
        String connection = request.getHeader("Connection");
        return request.getHeader("Upgrade") != null && connection != null && connection.toLowerCase().contains("upgrade");
    }

    static Future<Void> complete(HttpServerRequest request, HttpClientResponse answer) {
        HttpServerResponse response = request.response();
        copyHeaders(answer.headers(), response.headers(), NOT_COPIED_BACK);
        if (answer.statusCode() != 101) {
            response.setStatusCode(answer.statusCode());
            // the body is relayed as it comes: its length only if the other side declared one
            String length = answer.getHeader("Content-Length");
            if (length != null) {
                response.putHeader("Content-Length", length);
            } else {
                response.setChunked(true);
            }
            return answer.pipeTo(response);
        }
        NetSocket runtimeSocket = answer.netSocket();
        // held until both sides are joined: what arrives meanwhile waits instead of meeting no handler
        runtimeSocket.pause();
        return UpgradedSocket.of(request).map(clientSocket -> {
            SocketTunnel.join(clientSocket, runtimeSocket);
            return null;
        });
    }

    static void copyHeaders(MultiMap from, MultiMap to, Set<String> skipped) {
        for (String name : from.names()) {
            if (!skipped.contains(name.toLowerCase())) {
                to.set(name, from.getAll(name));
            }
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
