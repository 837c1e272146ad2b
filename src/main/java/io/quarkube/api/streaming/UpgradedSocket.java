package io.quarkube.api.streaming;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.Http1xServerConnection;
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
 * socket's first bytes, before anything of the tunnel.
 */
final class UpgradedSocket {

    private UpgradedSocket() {
    }

    static Future<NetSocket> of(HttpServerRequest request) {
        if (request.method() == HttpMethod.GET || request.method() == HttpMethod.CONNECT) {
            return request.toNetSocket();
        }
        if (!(request.connection() instanceof Http1xServerConnection connection)) {
            return Future.failedFuture(new IllegalStateException("a " + request.method() + " upgrade needs an HTTP/1.1 connection, not "
                    + request.version()));
        }
        Buffer head = switchingProtocols(request.response().headers());
        return connection.netSocket().map(socket -> {
            // held for the caller: the client answers the 101 at once, and nothing may meet a socket without handlers
            socket.pause();
            socket.write(head);
            return socket;
        });
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
