package io.quarkube.agent.server;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.vertx.core.buffer.Buffer;

/**
 * SPDY/3.1 framing of one connection: bytes read become frames, frames to send become bytes.
 * Netty's codec does the work (frame layout and the zlib header compression, whose state spans
 * the whole connection), run in a channel of its own so that the bytes can travel on any Vert.x
 * socket. Not thread-safe: one caller at a time.
 */
final class SpdyFraming implements AutoCloseable {

    private final EmbeddedChannel codec = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));

    /**
     * The frames completed by these bytes (a frame may span reads); data frames hold buffers the
     * caller releases. Fails (IllegalArgumentException) on bytes that are no SPDY/3.1.
     */
    List<Object> read(Buffer bytes) {
        try {
            codec.writeInbound(Unpooled.wrappedBuffer(bytes.getBytes()));
        } catch (Exception e) {
            // the codec's SpdyProtocolException is a checked exception, rethrown undeclared by the channel
            throw new IllegalArgumentException("no SPDY/3.1: " + e.getMessage(), e);
        }
        List<Object> frames = new ArrayList<>();
        for (Object frame = codec.readInbound(); frame != null; frame = codec.readInbound()) {
            frames.add(frame);
        }
        return frames;
    }

    /** The bytes of one frame (which it releases). */
    Buffer write(SpdyFrame frame) {
        codec.writeOutbound(frame);
        Buffer bytes = Buffer.buffer();
        for (ByteBuf out = codec.readOutbound(); out != null; out = codec.readOutbound()) {
            try {
                byte[] chunk = new byte[out.readableBytes()];
                out.readBytes(chunk);
                bytes.appendBytes(chunk);
            } finally {
                out.release();
            }
        }
        return bytes;
    }

    @Override
    public void close() {
        codec.finishAndReleaseAll();
    }
}
