package io.quarkube.agent.server;

import org.jboss.logging.Logger;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.NetSocket;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * Joins two upgraded connections byte for byte, both ways, with back-pressure: a side whose peer
 * cannot take more is paused until the peer drains. Either side ending or failing ends the other.
 *
 * <p>Each side gets exactly one handler of each kind: its data, end and exception handlers as a
 * source, its drain handler as a destination. (Two Vert.x pipes, one per direction, were seen to
 * move no bytes at all between an upgraded server connection and an HTTP client tunnel.)
 */
final class SocketTunnel {

    private static final Logger LOG = Logger.getLogger(SocketTunnel.class);

    private SocketTunnel() {
    }

    /** Starts relaying; both sides may be paused, so nothing that arrived before the join is lost. */
    static void join(NetSocket a, NetSocket b) {
        relay(a, b);
        relay(b, a);
    }

    /** As {@link #join(NetSocket, NetSocket)}: each binary message's payload is relayed as bytes, bytes as binary messages. */
    static void join(ServerWebSocket a, NetSocket b) {
        relay(a, b);
        relay(b, a);
    }

    private static void relay(ReadStream<Buffer> from, WriteStream<Buffer> to) {
        from.handler(data -> {
            to.write(data);
            if (to.writeQueueFull()) {
                from.pause();
                to.drainHandler(ignored -> from.resume());
            }
        });
        from.endHandler(ignored -> to.end());
        from.exceptionHandler(failure -> {
            LOG.debugf("tunnel closed: %s", failure.getMessage());
            to.end();
        });
        from.resume();
    }
}
