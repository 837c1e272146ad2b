package io.quarkube.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;

/**
 * How a watch reaches its client: newline-delimited JSON on a chunked HTTP response, or one JSON
 * text frame per event on a WebSocket (what the Fabric8 client and client-go's WebSocket watches use).
 */
interface WatchTransport {

    /** Sends one encoded event. */
    void send(Buffer event);

    /** Whether the client is not reading fast enough (Vert.x's write queue is full). */
    boolean queueFull();

    void end();

    boolean ended();

    /** Runs once when the client goes away or the stream ends. */
    void onClosed(Runnable closed);

    static WatchTransport of(HttpServerResponse response) {
        return new WatchTransport() {
            @Override
            public void send(Buffer event) {
                response.write(event.appendByte((byte) '\n'));
            }

            @Override
            public boolean queueFull() {
                return response.writeQueueFull();
            }

            @Override
            public void end() {
                if (!ended()) {
                    response.end();
                }
            }

            @Override
            public boolean ended() {
                return response.ended() || response.closed();
            }

            @Override
            public void onClosed(Runnable closed) {
                // the response's own handlers: over HTTP/2 one connection carries many watches
                response.closeHandler(v -> closed.run());
                response.endHandler(v -> closed.run());
            }
        };
    }

    static WatchTransport of(ServerWebSocket socket) {
        return new WatchTransport() {
            @Override
            public void send(Buffer event) {
                socket.writeTextMessage(event.toString());
            }

            @Override
            public boolean queueFull() {
                return socket.writeQueueFull();
            }

            @Override
            public void end() {
                if (!ended()) {
                    socket.close();
                }
            }

            @Override
            public boolean ended() {
                return socket.isClosed();
            }

            @Override
            public void onClosed(Runnable closed) {
                socket.closeHandler(v -> closed.run());
            }
        };
    }
}
