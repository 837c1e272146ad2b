package io.quarkube.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;

/**
 * Two framings, one per end of a connection: what one writes the other reads, whatever the cuts
 * between reads. Header blocks share one compression context per direction, so the second
 * stream's headers only decode if the first ones were decoded too.
 */
class SpdyFramingTest {

    @Test
    void framesWrittenByOneEndAreReadByTheOtherAcrossArbitraryReads() {
        try (SpdyFraming client = new SpdyFraming(); SpdyFraming server = new SpdyFraming()) {
            Buffer wire = Buffer.buffer();
            for (int stream = 1; stream <= 5; stream += 2) {
                DefaultSpdySynStreamFrame synStream = new DefaultSpdySynStreamFrame(stream, 0, (byte) 0);
                synStream.headers().set("streamtype", "type-" + stream);
                wire.appendBuffer(client.write(synStream));
            }
            SpdyDataFrame data = new DefaultSpdyDataFrame(3, Unpooled.wrappedBuffer("hello".getBytes(StandardCharsets.UTF_8)));
            wire.appendBuffer(client.write(data));
            wire.appendBuffer(client.write(new DefaultSpdyDataFrame(3).setLast(true)));
            wire.appendBuffer(client.write(new DefaultSpdyPingFrame(2)));

            // read three bytes at a time: frames and header blocks span reads
            List<Object> frames = new ArrayList<>();
            for (int at = 0; at < wire.length(); at += 3) {
                frames.addAll(server.read(wire.getBuffer(at, Math.min(at + 3, wire.length()))));
            }
            try {
                assertEquals(6, frames.size(), frames::toString);
                for (int i = 0; i < 3; i++) {
                    SpdySynStreamFrame synStream = assertInstanceOf(SpdySynStreamFrame.class, frames.get(i));
                    assertEquals(1 + 2 * i, synStream.streamId());
                    assertEquals("type-" + (1 + 2 * i), synStream.headers().getAsString("streamtype"));
                }
                SpdyDataFrame hello = assertInstanceOf(SpdyDataFrame.class, frames.get(3));
                assertEquals("hello", hello.content().toString(StandardCharsets.UTF_8));
                assertFalse(hello.isLast());
                SpdyDataFrame end = assertInstanceOf(SpdyDataFrame.class, frames.get(4));
                assertTrue(end.isLast());
                assertEquals(0, end.content().readableBytes());
                assertEquals(2, assertInstanceOf(SpdyPingFrame.class, frames.get(5)).id());
            } finally {
                frames.forEach(ReferenceCountUtil::release);
            }
        }
    }

    @Test
    void framesOfAnotherSpdyVersionFail() {
        try (SpdyFraming framing = new SpdyFraming()) {
            // a SPDY/2 SYN_STREAM header: control bit, version 2, type 1, no flags, length 0
            Buffer spdy2 = Buffer.buffer(new byte[] {(byte) 0x80, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00});
            assertThrows(IllegalArgumentException.class, () -> framing.read(spdy2));
        }
    }
}
