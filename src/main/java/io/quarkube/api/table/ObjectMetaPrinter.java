package io.quarkube.api.table;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** Kinds without columns of their own: NAME and AGE from the object's metadata. */
final class ObjectMetaPrinter implements TablePrinter {

    private static final List<Column> COLUMNS = List.of(Column.objectName(), Column.age());

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode object, Instant now) {
        return List.of(object.at("/metadata/name").asText(), Times.age(object, now));
    }
}
