package io.quarkube.agent.server;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * The options of a {@code /containerLogs} request (kube's {@code PodLogOptions}, as kube-apiserver
 * passes them on): what part of the log to send and how.
 *
 * @param since      records written before this are skipped; null for all
 * @param tailLines  only the last this many lines; null for all
 * @param limitBytes stop after this many bytes of output; null for no limit
 */
record LogReadOptions(boolean follow, boolean previous, boolean timestamps, Instant since, Long tailLines, Long limitBytes) {

    /** Reads the query parameters (null when absent); {@link AgentRequestException} 400 for values that do not parse. */
    static LogReadOptions parse(Function<String, String> params, Instant now) {
        Long sinceSeconds = number(params, "sinceSeconds");
        Instant sinceTime = time(params.apply("sinceTime"));
        Instant since = sinceTime != null ? sinceTime : sinceSeconds != null ? now.minusSeconds(sinceSeconds) : null;
        Long tailLines = number(params, "tailLines");
        Long limitBytes = number(params, "limitBytes");
        if (tailLines != null && tailLines < 0 || limitBytes != null && limitBytes < 1) {
            throw AgentRequestException.badRequest("tailLines must be at least 0 and limitBytes at least 1");
        }
        return new LogReadOptions(flag(params, "follow"), flag(params, "previous"), flag(params, "timestamps"), since,
                tailLines, limitBytes);
    }

    private static boolean flag(Function<String, String> params, String name) {
        String value = params.apply(name);
        return value != null && switch (value) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            default -> false;
        };
    }

    private static Long number(Function<String, String> params, String name) {
        String value = params.apply(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw AgentRequestException.badRequest("invalid " + name + ": " + value);
        }
    }

    private static Instant time(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw AgentRequestException.badRequest("invalid sinceTime: " + value);
        }
    }
}
