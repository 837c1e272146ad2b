package io.quarkube.api.table;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkube.json.Timestamps;

/** Timestamps of stored objects (RFC 3339 text) turned into the ages and dates tables show. */
final class Times {

    static final String UNKNOWN = "<unknown>";

    private Times() {
    }

    /** The timestamp in a JSON text node; empty when absent, empty or unreadable. */
    static Optional<Instant> parse(JsonNode timestamp) {
        if (timestamp == null || !timestamp.isTextual() || timestamp.asText().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(timestamp.asText()).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** How long ago the timestamp was, e.g. "5m"; {@value #UNKNOWN} when it is not set. */
    static String since(JsonNode timestamp, Instant now) {
        return parse(timestamp).map(t -> HumanDuration.format(Duration.between(t, now))).orElse(UNKNOWN);
    }

    /** The object's age from {@code metadata.creationTimestamp}. */
    static String age(JsonNode object, Instant now) {
        return since(object.at("/metadata/creationTimestamp"), now);
    }

    /** {@code metadata.creationTimestamp} as an RFC 3339 UTC date with seconds, for "Created At" columns. */
    static String createdAt(JsonNode object) {
        Instant created = parse(object.at("/metadata/creationTimestamp")).orElse(Instant.parse("0001-01-01T00:00:00Z"));
        return Timestamps.of(created);
    }
}
