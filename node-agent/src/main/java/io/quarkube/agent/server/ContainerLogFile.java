package io.quarkube.agent.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads a container's CRI log file the way the kubelet serves it: from the last {@code tailLines}
 * lines (or the start), skipping records older than {@code since}, writing each record's content
 * (with a line end for full records, prefixed by its timestamp if asked) and stopping after
 * {@code limitBytes}. Blocking file I/O: call it from a worker thread, one call at a time.
 */
final class ContainerLogFile implements AutoCloseable {

    /** The kubelet's timestamp format: RFC 3339 with nanoseconds always written out. */
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX").withZone(ZoneOffset.UTC);
    private static final int READ_SIZE = 64 * 1024;

    private final FileChannel channel;
    private final LogReadOptions options;
    private long position;
    private long remainingBytes;
    /** The start of a line whose end has not been written yet. */
    private byte[] pending = new byte[0];

    /** What one read produced: output bytes, whether the end of the file was reached, whether the byte limit was. */
    record Chunk(byte[] output, boolean endOfFile, boolean limitReached) {
    }

    private ContainerLogFile(FileChannel channel, LogReadOptions options, long position) {
        this.channel = channel;
        this.options = options;
        this.position = position;
        this.remainingBytes = options.limitBytes() == null ? Long.MAX_VALUE : options.limitBytes();
    }

    static ContainerLogFile open(Path file, LogReadOptions options) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long start = options.tailLines() == null ? 0 : tailStart(channel, options.tailLines());
            return new ContainerLogFile(channel, options, start);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Whether the file holds bytes this reader has not read yet. */
    boolean hasMore() throws IOException {
        return channel.size() > position;
    }

    /** Reads what the file holds now, up to one buffer; only whole lines are turned into output. */
    Chunk read() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(READ_SIZE);
        int read = channel.read(buffer, position);
        if (read <= 0) {
            return new Chunk(new byte[0], true, false);
        }
        position += read;
        byte[] bytes = pending.length == 0 ? Arrays.copyOf(buffer.array(), read) : concat(pending, buffer.array(), read);
        ByteArrayOutputStream output = new ByteArrayOutputStream(read + 256);
        int lineStart = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            Optional<CriLogRecord> record = CriLogRecord.parse(bytes, lineStart, i);
            lineStart = i + 1;
            if (record.isEmpty() || options.since() != null && record.get().time().isBefore(options.since())) {
                continue;
            }
            if (!write(output, record.get())) {
                return new Chunk(output.toByteArray(), false, true);
            }
        }
        pending = Arrays.copyOfRange(bytes, lineStart, bytes.length);
        return new Chunk(output.toByteArray(), read < READ_SIZE, false);
    }

    /** Appends one record's output; false once the byte limit is used up (the output then ends there). */
    private boolean write(ByteArrayOutputStream output, CriLogRecord record) {
        ByteArrayOutputStream one = new ByteArrayOutputStream(record.content().length + 40);
        if (options.timestamps()) {
            one.writeBytes((TIMESTAMP.format(record.time()) + " ").getBytes(StandardCharsets.US_ASCII));
        }
        one.writeBytes(record.content());
        if (!record.partial()) {
            one.write('\n');
        }
        byte[] bytes = one.toByteArray();
        if (bytes.length >= remainingBytes) {
            output.write(bytes, 0, (int) remainingBytes);
            remainingBytes = 0;
            return false;
        }
        output.writeBytes(bytes);
        remainingBytes -= bytes.length;
        return true;
    }

    private static byte[] concat(byte[] first, byte[] second, int secondLength) {
        byte[] joined = Arrays.copyOf(first, first.length + secondLength);
        System.arraycopy(second, 0, joined, first.length, secondLength);
        return joined;
    }

    /** The offset of the first of the last {@code lines} lines, found by reading backwards from the end. */
    static long tailStart(FileChannel channel, long lines) throws IOException {
        long end = channel.size();
        if (lines == 0) {
            return end;
        }
        long newlines = 0;
        long blockEnd = end;
        ByteBuffer buffer = ByteBuffer.allocate(READ_SIZE);
        boolean skipLastNewline = true;
        while (blockEnd > 0) {
            long blockStart = Math.max(0, blockEnd - READ_SIZE);
            buffer.clear().limit((int) (blockEnd - blockStart));
            channel.read(buffer, blockStart);
            for (int i = (int) (blockEnd - blockStart) - 1; i >= 0; i--) {
                if (buffer.get(i) != '\n') {
                    skipLastNewline = false;
                    continue;
                }
                if (skipLastNewline) {
                    // the newline ending the file's last line starts no line
                    skipLastNewline = false;
                    continue;
                }
                if (++newlines == lines) {
                    return blockStart + i + 1;
                }
            }
            blockEnd = blockStart;
        }
        return 0;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
