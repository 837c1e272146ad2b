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
    private static final Set<String> NOT_COPIED_BACK = Set.of("connection", "upgrade", "content-length", "transfer-encoding");

    private final HttpClient client;

    RuntimeStreamProxy(Vertx vertx) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(10_000).setKeepAlive(false));
    }

    /** Forwards the request to url and completes it with the runtime's answer. */
    Future<Void> proxy(HttpServerRequest request, String url) {
        URI target = URI.create(url);
        RequestOptions options = new RequestOptions().setMethod(request.method()).setHost(target.getHost())
                .setPort(target.getPort() > 0 ? target.getPort() : 80).setURI(target.getRawPath()
                        + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()));
        return client.request(options).compose(forwarded -> {
            copyHeaders(request.headers(), forwarded.headers(), NOT_FORWARDED);
            return forwarded.connect();
        }).compose(answer -> complete(request, answer));
    }

    static Future<Void> complete(HttpServerRequest request, HttpClientResponse answer) {
        HttpServerResponse response = request.response();
        copyHeaders(answer.headers(), response.headers(), NOT_COPIED_BACK);
        if (answer.statusCode() != 101) {
            response.setStatusCode(answer.statusCode());
            return answer.pipeTo(response);
        }
        NetSocket runtimeSocket = answer.netSocket();
        return request.toNetSocket().map(clientSocket -> {
            join(clientSocket, runtimeSocket);
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

    /** Copies bytes both ways with back-pressure; either side closing closes the other. */
    static void join(NetSocket a, NetSocket b) {
        a.pipeTo(b).onFailure(failure -> LOG.debugf("stream closed: %s", failure.getMessage()));
        b.pipeTo(a).onFailure(failure -> LOG.debugf("stream closed: %s", failure.getMessage()));
    }

    @Override
    public void close() {
        client.close();
    }
}
