package io.quarkube.agent.server;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyHeadersFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.NetSocket;

/**
 * Exec and attach over WebSocket {@code v5.channel.k8s.io} (kubectl 1.30+), served from the
 * runtime's SPDY/3.1 streams of {@code v4.channel.k8s.io}, as kube-apiserver's stream translator
 * serves them from the kubelet. containerd 1.6 speaks WebSocket channel protocols only up to v4,
 * and v4 over WebSocket cannot end the remote stdin without ending the whole connection; SPDY
 * streams can, so v5's close signal for stdin becomes a half-close of the SPDY stdin stream.
 *
 * <p>WebSocket channels and SPDY streams (named by their {@code streamtype} header) map one to one:
 * 0 stdin, 1 stdout, 2 stderr, 3 error, 4 resize (terminal sizes as JSON, with a tty); a message
 * {@code [255, 0]} closes stdin. Once the runtime has finished its stdout, stderr and error
 * streams, the Status read from the error stream ({@link RemoteCommandStatus}) goes out on channel
 * 3 and the WebSocket closes normally. SPDY frames are read and written by {@link SpdyFraming};
 * the runtime's streaming server (the kubelet's code) uses no SPDY flow control, so neither does
 * this side: back-pressure is the sockets' own.
 */
final class WebSocketSpdyTranslator {

    static final String PROTOCOL = "v5.channel.k8s.io";
    /** What the runtime's SPDY streaming server is asked for: v4 is v5 without the close signal, which SPDY has itself. */
    static final String RUNTIME_PROTOCOL = "v4.channel.k8s.io";

    static final int STDIN = 0;
    static final int STDOUT = 1;
    static final int STDERR = 2;
    static final int ERROR = 3;
    static final int RESIZE = 4;
    static final int CLOSE = 255;

    private static final Logger LOG = Logger.getLogger(WebSocketSpdyTranslator.class);

    private final RuntimeSpdyConnector runtime;

    WebSocketSpdyTranslator(RuntimeSpdyConnector runtime) {
        this.runtime = runtime;
    }

    /** Whether a WebSocket request offers {@code v5.channel.k8s.io} (in any place of its list, as kube-apiserver checks). */
    static boolean offered(HttpServerRequest request) {
        String offered = request.getHeader("Sec-WebSocket-Protocol");
        return offered != null && Arrays.stream(offered.split(",")).map(String::trim).anyMatch(PROTOCOL::equals);
    }

    /**
     * Connects to the runtime's streaming URL over SPDY/3.1 first (a refusal is still answered as
     * an HTTP error), then accepts the WebSocket and translates between the two until either ends.
     */
    Future<Void> translate(HttpServerRequest request, String runtimeUrl, StreamOptions options) {
        return runtime.connect(runtimeUrl, RUNTIME_PROTOCOL).compose(socket -> request.toWebSocket()
                .onFailure(failure -> socket.close())
                .map(webSocket -> {
                    LOG.debugf("%s %s: WebSocket %s translated to the runtime's SPDY/3.1 streams", request.method(), request.path(), PROTOCOL);
                    new Session(socket, webSocket, options).start();
                    return null;
                }));
    }

    /** One exec or attach: a WebSocket and the SPDY connection to the runtime serving it. */
    private static final class Session {

        private final NetSocket runtime;
        private final ServerWebSocket webSocket;
        private final StreamOptions options;
        private final SpdyFraming framing = new SpdyFraming();
        private final Map<Integer, Integer> streamOfChannel = new HashMap<>();
        private final Map<Integer, Integer> channelOfStream = new HashMap<>();
        /** SPDY streams the runtime has yet to finish: error, stdout, stderr as asked for. */
        private final Set<Integer> unfinished = new HashSet<>();
        private final ByteArrayOutputStream errorStream = new ByteArrayOutputStream();
        private boolean stdinClosed;
        private boolean ended;

        Session(NetSocket runtime, ServerWebSocket webSocket, StreamOptions options) {
            this.runtime = runtime;
            this.webSocket = webSocket;
            this.options = options;
        }

        synchronized void start() {
            int next = 1;
            next = open(ERROR, "error", next);
            if (options.stdin()) {
                next = open(STDIN, "stdin", next);
            }
            if (options.stdout()) {
                next = open(STDOUT, "stdout", next);
            }
            if (options.stderr()) {
                next = open(STDERR, "stderr", next);
            }
            if (options.tty()) {
                open(RESIZE, "resize", next);
            }
            runtime.handler(this::fromRuntime);
            runtime.endHandler(ignored -> runtimeClosed());
            runtime.exceptionHandler(failure -> {
                LOG.debugf("runtime stream connection failed: %s", failure.getMessage());
                runtimeClosed();
            });
            webSocket.binaryMessageHandler(this::fromClient);
            webSocket.closeHandler(ignored -> clientClosed());
            webSocket.exceptionHandler(failure -> {
                LOG.debugf("exec WebSocket failed: %s", failure.getMessage());
                clientClosed();
            });
            // as kube-apiserver: an empty message on the lowest channel the client reads tells it the streams are up
            webSocket.writeBinaryMessage(Buffer.buffer(new byte[] {(byte) (options.stdout() ? STDOUT : options.stderr() ? STDERR : ERROR)}));
            runtime.resume();
        }

        /** Opens the SPDY stream of one channel; returns the next free stream id (the client's are odd). */
        private int open(int channel, String streamType, int streamId) {
            streamOfChannel.put(channel, streamId);
            channelOfStream.put(streamId, channel);
            if (channel == ERROR || channel == STDOUT || channel == STDERR) {
                unfinished.add(streamId);
            }
            DefaultSpdySynStreamFrame synStream = new DefaultSpdySynStreamFrame(streamId, 0, (byte) 0);
            synStream.headers().set("streamtype", streamType);
            runtime.write(framing.write(synStream));
            return streamId + 2;
        }

        private synchronized void fromRuntime(Buffer bytes) {
            if (ended) {
                return;
            }
            List<Object> frames;
            try {
                frames = framing.read(bytes);
            } catch (IllegalArgumentException e) {
                end(RemoteCommandStatus.internalError("the runtime's stream connection: " + e.getMessage()));
                return;
            }
            for (Object frame : frames) {
                try {
                    if (!ended) {
                        received(frame);
                    }
                } finally {
                    ReferenceCountUtil.release(frame);
                }
            }
        }

        private void received(Object frame) {
            if (frame instanceof SpdyDataFrame data) {
                received(data);
            } else if (frame instanceof SpdySynReplyFrame reply) {
                if (reply.isLast()) {
                    finished(reply.streamId());
                }
            } else if (frame instanceof SpdyRstStreamFrame reset) {
                if (reset.streamId() == streamOfChannel.getOrDefault(STDIN, -1)) {
                    stdinClosed = true;
                }
                finished(reset.streamId());
            } else if (frame instanceof SpdySynStreamFrame pushed) {
                // the runtime opens no streams of its own in this protocol
                runtime.write(framing.write(new DefaultSpdyRstStreamFrame(pushed.streamId(), SpdyStreamStatus.REFUSED_STREAM)));
            } else if (frame instanceof SpdyHeadersFrame headers) {
                if (headers.isLast()) {
                    finished(headers.streamId());
                }
            } else if (frame instanceof SpdyPingFrame ping && ping.id() % 2 == 0) {
                // a ping of the runtime's (even ids) is answered by echoing it
                runtime.write(framing.write(new DefaultSpdyPingFrame(ping.id())));
            }
            // settings, window updates and go-away need no answer: the connection's end is what counts
        }

        private void received(SpdyDataFrame data) {
            Integer channel = channelOfStream.get(data.streamId());
            ByteBuf content = data.content();
            if (channel != null && content.isReadable()) {
                byte[] bytes = new byte[content.readableBytes()];
                content.getBytes(content.readerIndex(), bytes);
                if (channel == ERROR) {
                    errorStream.writeBytes(bytes);
                } else if ((channel == STDOUT || channel == STDERR) && !ended) {
                    webSocket.writeBinaryMessage(Buffer.buffer(bytes.length + 1).appendByte(channel.byteValue()).appendBytes(bytes));
                    if (webSocket.writeQueueFull()) {
                        // the client reads slower than the process writes: stop reading the runtime until it catches up
                        runtime.pause();
                        webSocket.drainHandler(ignored -> runtime.resume());
                    }
                }
            }
            if (data.isLast()) {
                finished(data.streamId());
            }
        }

        /** The runtime finished one of its streams; after the last, the Status goes out. */
        private void finished(int streamId) {
            if (unfinished.remove(streamId) && unfinished.isEmpty()) {
                end(RemoteCommandStatus.fromErrorStream(errorStream.toByteArray()));
            }
        }

        private synchronized void fromClient(Buffer message) {
            if (ended || message.length() == 0) {
                return;
            }
            int channel = message.getUnsignedByte(0);
            switch (channel) {
                case STDIN -> {
                    if (options.stdin() && !stdinClosed && message.length() > 1) {
                        send(STDIN, message.getBytes(1, message.length()), false);
                    }
                }
                case RESIZE -> {
                    if (options.tty() && message.length() > 1) {
                        send(RESIZE, message.getBytes(1, message.length()), false);
                    }
                }
                case CLOSE -> {
                    // v5's close signal: [255, channel]; only the client's stdin is a stream it can end
                    if (message.length() > 1 && message.getUnsignedByte(1) == STDIN && options.stdin() && !stdinClosed) {
                        stdinClosed = true;
                        send(STDIN, new byte[0], true);
                    }
                }
                default -> LOG.debugf("exec WebSocket message on channel %d ignored", channel);
            }
        }

        private void send(int channel, byte[] bytes, boolean last) {
            SpdyDataFrame frame = new DefaultSpdyDataFrame(streamOfChannel.get(channel), Unpooled.wrappedBuffer(bytes));
            frame.setLast(last);
            runtime.write(framing.write(frame));
            if (runtime.writeQueueFull()) {
                // the process reads its stdin slower than the client writes: stop reading the client until it catches up
                webSocket.pause();
                runtime.drainHandler(ignored -> webSocket.resume());
            }
        }

        /** All output is through: the Status on the error channel, then a normal close of both connections. */
        private void end(Status status) {
            if (ended) {
                return;
            }
            ended = true;
            byte[] json = RemoteCommandStatus.json(status);
            webSocket.writeBinaryMessage(Buffer.buffer(json.length + 1).appendByte((byte) ERROR).appendBytes(json));
            webSocket.close();
            runtime.close();
            framing.close();
        }

        private synchronized void runtimeClosed() {
            if (!ended) {
                end(unfinished.contains(streamOfChannel.get(ERROR))
                        ? RemoteCommandStatus.internalError("error reading from error stream: the runtime closed the connection")
                        : RemoteCommandStatus.fromErrorStream(errorStream.toByteArray()));
            }
        }

        private synchronized void clientClosed() {
            if (!ended) {
                // the client went away (or failed): the runtime ends the process's streams with the connection
                ended = true;
                runtime.close();
                framing.close();
            }
        }
    }
}
