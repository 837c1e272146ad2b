package io.quarkube.agent.server;

import java.net.URI;

import org.jboss.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetSocket;

/**
 * Opens a connection to a streaming URL of the runtime (containerd: {@code http://127.0.0.1:PORT/exec/TOKEN})
 * and switches it to SPDY/3.1 with one stream protocol ({@code X-Stream-Protocol-Version}), as the
 * kubelet's SPDY client does for exec, attach and port-forward.
 */
final class RuntimeSpdyConnector implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RuntimeSpdyConnector.class);

    private final HttpClient client;

    RuntimeSpdyConnector(Vertx vertx) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(10_000));
    }

    /**
     * The upgraded connection, paused so that nothing that arrives before the caller sets its
     * handlers is lost. Fails with the runtime's status when it does not switch protocols or
     * settles on another stream protocol.
     */
    Future<NetSocket> connect(String runtimeUrl, String streamProtocol) {
        URI target = URI.create(runtimeUrl);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(target.getHost())
                .setPort(target.getPort() > 0 ? target.getPort() : 80).setURI(target.getRawPath()
                        + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()))
                .putHeader("Connection", "Upgrade").putHeader("Upgrade", "SPDY/3.1")
                .putHeader("X-Stream-Protocol-Version", streamProtocol);
        return client.request(options).compose(request -> {
            // the connection ends with the stream; that is no error of the request
            request.exceptionHandler(closed -> LOG.debugf("runtime stream connection closed: %s", closed.getMessage()));
            return request.connect();
        }).compose(response -> {
            if (response.statusCode() != 101) {
                return response.body().compose(body -> Future.failedFuture(new AgentRequestException(response.statusCode(),
                        "the runtime refused the stream: " + body)));
            }
            NetSocket runtime = response.netSocket();
            // held until joined: what arrives meanwhile waits instead of meeting no handler
            runtime.pause();
            String negotiated = response.getHeader("X-Stream-Protocol-Version");
            if (!streamProtocol.equals(negotiated)) {
                runtime.close();
                return Future.failedFuture(new AgentRequestException(502, "the runtime answered with stream protocol "
                        + negotiated + " where " + streamProtocol + " was asked for"));
            }
            return Future.succeededFuture(runtime);
        });
    }

    @Override
    public void close() {
        client.close();
    }
}
