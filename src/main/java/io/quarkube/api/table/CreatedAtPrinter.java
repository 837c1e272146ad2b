package io.quarkube.api.table;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * NAME and CREATED AT (an RFC 3339 date): the columns kube-apiserver's default table convertor gives
 * kinds without printers of their own, such as roles and limit ranges.
 */
final class CreatedAtPrinter implements TablePrinter {

    static final CreatedAtPrinter INSTANCE = new CreatedAtPrinter();

    private static final List<Column> COLUMNS = List.of(
            Column.objectName(),
            Column.date("Created At", Column.AGE_DESCRIPTION));

    private CreatedAtPrinter() {
    }

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode object, Instant now) {
        return List.of(Cells.name(object), Times.createdAt(object));
    }
}
