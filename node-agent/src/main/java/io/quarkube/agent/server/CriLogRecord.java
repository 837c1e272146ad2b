package io.quarkube.agent.server;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;

/**
 * One line of a container log file in the CRI format:
 * {@code <RFC3339Nano timestamp> <stdout|stderr> <F|P> <content>}. {@code P} marks a partial record
 * whose content continues in the next one; {@code F} ends a line.
 *
 * @param time    when the runtime wrote it
 * @param stream  "stdout" or "stderr"
 * @param partial whether the content is a fragment without its line end
 * @param content the bytes of the log, without the line end
 */
record CriLogRecord(Instant time, String stream, boolean partial, byte[] content) {

    /** Parses one line (without its trailing newline); empty when it is not in the CRI format. */
    static Optional<CriLogRecord> parse(byte[] line, int from, int to) {
        int firstSpace = indexOf(line, (byte) ' ', from, to);
        if (firstSpace < 0) {
            return Optional.empty();
        }
        int secondSpace = indexOf(line, (byte) ' ', firstSpace + 1, to);
        if (secondSpace < 0) {
            return Optional.empty();
        }
        // the tag may be the last field when the content is empty
        int thirdSpace = indexOf(line, (byte) ' ', secondSpace + 1, to);
        int tagEnd = thirdSpace < 0 ? to : thirdSpace;
        Instant time;
        try {
            time = OffsetDateTime.parse(new String(line, from, firstSpace - from, StandardCharsets.US_ASCII),
                    DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        String stream = new String(line, firstSpace + 1, secondSpace - firstSpace - 1, StandardCharsets.US_ASCII);
        if (!stream.equals("stdout") && !stream.equals("stderr")) {
            return Optional.empty();
        }
        // tags are separated by ':'; the first says whether the record is partial
        String tags = new String(line, secondSpace + 1, tagEnd - secondSpace - 1, StandardCharsets.US_ASCII);
        boolean partial = tags.split(":", 2)[0].equals("P");
        byte[] content = thirdSpace < 0 ? new byte[0] : Arrays.copyOfRange(line, thirdSpace + 1, to);
        return Optional.of(new CriLogRecord(time, stream, partial, content));
    }

    private static int indexOf(byte[] bytes, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
