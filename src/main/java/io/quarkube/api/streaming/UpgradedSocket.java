package io.quarkube.api.streaming;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.net.NetSocket;

/**
 * Switches an HTTP/1.1 upgrade request's connection to a raw socket after answering it with the
 * 101 Switching Protocols and the headers set on its response, whatever the request's method.
 *
 * <p>A GET upgrade goes through Vert.x's {@link HttpServerRequest#toNetSocket()}. kubectl up to 1.29
 * upgrades exec, attach and port-forward to SPDY with POST, which {@code toNetSocket()} refuses in
 * Vert.x 4.5 (only CONNECT and GET upgrades). For those the connection itself is switched
 * ({@link Http1xServerConnection#netSocket()}, public on Vert.x's HTTP/1.x connection but not part
 * of its API: a Vert.x that changes it fails to compile here) and the 101 head is written as the
 * socket's first bytes, before anything of the tunnel. Either way the socket comes back paused.
 */
final class UpgradedSocket {

    private UpgradedSocket() {
    }

    static Future<NetSocket> of(HttpServerRequest request) {
        if (!(request.connection() instanceof Http1xServerConnection connection)) {
            return Future.failedFuture(new IllegalStateException("a " + request.method() + " upgrade needs an HTTP/1.1 connection, not "
                    + request.version()));
        }
        // Callers often get here on another thread (a gRPC or storage callback). Off the connection's
        // event loop, Vert.x writes the 101 and switches the pipeline in two tasks, and the client's
        // first frame, sent as soon as it reads the 101, can reach the HTTP decoder in between and be
        // lost; a socket handed back unpaused drops what arrives before the caller's handlers. So the
        // 101, the switch and the pause happen in one task on the connection's own thread.
        ContextInternal context = connection.getContext();
        Promise<NetSocket> upgraded = context.promise();
        context.execute(() -> switchToSocket(request, connection).onComplete(upgraded));
        return upgraded.future();
    }

    private static Future<NetSocket> switchToSocket(HttpServerRequest request, Http1xServerConnection connection) {
        if (request.method() == HttpMethod.GET || request.method() == HttpMethod.CONNECT) {
            return request.toNetSocket().map(UpgradedSocket::held);
        }
        Buffer head = switchingProtocols(request.response().headers());
        return connection.netSocket().map(socket -> {
            // the client answers the 101 at once: its first bytes wait for the caller's handlers
            held(socket).write(head);
            return socket;
        });
    }

    /** Paused for the caller: nothing may meet a socket without handlers. */
    private static NetSocket held(NetSocket socket) {
        socket.pause();
        return socket;
    }

    /** A 101 Switching Protocols head with the given headers, as HTTP/1.1 writes it. */
    static Buffer switchingProtocols(MultiMap headers) {
        StringBuilder head = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n");
        for (Map.Entry<String, String> header : headers) {
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        return Buffer.buffer(head.append("\r\n").toString(), StandardCharsets.ISO_8859_1.name());
    }
}
