package io.quarkube.api.table;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Events of both APIs (core/v1 and events.k8s.io/v1): LAST SEEN TYPE REASON OBJECT MESSAGE, wide
 * SUBOBJECT SOURCE FIRST SEEN COUNT NAME. events.k8s.io names its fields differently
 * ({@code regarding}, {@code note}, {@code deprecatedCount}, ...); {@link Fields} reads either.
 */
final class EventPrinter implements TablePrinter {

    private static final List<Column> COLUMNS = List.of(
            Column.string("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
            Column.string("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
            Column.string("Reason", "This should be a short, machine understandable string that gives the reason "
                    + "for the transition into the object's current status."),
            Column.string("Object", "The object that this event is about."),
            Column.string("Subobject", "If referring to a piece of an object instead of an entire object, this "
                    + "string should contain a valid JSON/Go field access statement.").wide(),
            Column.string("Source", "The component reporting this event.").wide(),
            Column.string("Message", "A human-readable description of the status of this operation."),
            Column.string("First Seen", "The time at which the event was first recorded.").wide(),
            Column.string("Count", "The number of times this event has occurred.").wide(),
            new Column("Name", "string", "name", Column.NAME_DESCRIPTION, 1));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode event, Instant now) {
        Fields fields = Fields.of(event);
        JsonNode series = event.path("series");

        String firstSeen = Times.parse(fields.firstTimestamp()).isPresent()
                ? Times.since(fields.firstTimestamp(), now)
                : Times.since(event.path("eventTime"), now);
        String lastSeen = Times.parse(fields.lastTimestamp()).isPresent()
                ? Times.since(fields.lastTimestamp(), now)
                : firstSeen;
        long count = fields.count().asLong();
        if (series.isObject()) {
            lastSeen = Times.since(series.path("lastObservedTime"), now);
            count = series.path("count").asLong();
        } else if (count == 0) {
            // Singleton events of the newer API carry no count.
            count = 1;
        }

        JsonNode regarding = fields.regarding();
        String kind = regarding.path("kind").asText().toLowerCase(Locale.ROOT);
        String name = regarding.path("name").asText();
        return List.of(
                lastSeen,
                event.path("type").asText(),
                event.path("reason").asText(),
                name.isEmpty() ? kind : kind + "/" + name,
                regarding.path("fieldPath").asText(),
                source(fields),
                fields.message().asText().strip(),
                firstSeen,
                count,
                Cells.name(event));
    }

    /** "component, host", falling back to the reporting controller and instance. */
    private static String source(Fields fields) {
        String component = Cells.orElse(fields.source().path("component").asText(),
                fields.reportingController().asText());
        String host = Cells.orElse(fields.source().path("host").asText(), fields.reportingInstance().asText());
        return host.isEmpty() ? component : component + ", " + host;
    }

    /** The event fields the table needs, wherever the event's API keeps them. */
    private record Fields(JsonNode firstTimestamp, JsonNode lastTimestamp, JsonNode count, JsonNode regarding,
            JsonNode source, JsonNode reportingController, JsonNode reportingInstance, JsonNode message) {

        static Fields of(JsonNode event) {
            if (event.path("apiVersion").asText().startsWith("events.k8s.io/")) {
                return new Fields(event.path("deprecatedFirstTimestamp"), event.path("deprecatedLastTimestamp"),
                        event.path("deprecatedCount"), event.path("regarding"), event.path("deprecatedSource"),
                        event.path("reportingController"), event.path("reportingInstance"), event.path("note"));
            }
            return new Fields(event.path("firstTimestamp"), event.path("lastTimestamp"), event.path("count"),
                    event.path("involvedObject"), event.path("source"), event.path("reportingComponent"),
                    event.path("reportingInstance"), event.path("message"));
        }
    }
}
