package io.quarkube.api.table;

import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The columns of one kind and how to fill them from a stored object. Cells are always computed as
 * for wide output: kube-apiserver fills every column and kubectl hides the priority 1 ones.
 */
interface TablePrinter {

    List<Column> columns();

    /** One value per column: a String, a Long or a Boolean. */
    List<Object> cells(JsonNode object, Instant now);

    /** Conditions attached to the row, such as {@code Completed} for finished pods. */
    default List<RowCondition> conditions(JsonNode object) {
        return List.of();
    }

    /** A printer whose cells come from one function. */
    static TablePrinter of(List<Column> columns, BiFunction<JsonNode, Instant, List<Object>> cells) {
        return new FunctionPrinter(columns, cells);
    }

    record FunctionPrinter(List<Column> columns, BiFunction<JsonNode, Instant, List<Object>> cellFunction)
            implements TablePrinter {
        @Override
        public List<Object> cells(JsonNode object, Instant now) {
            return cellFunction.apply(object, now);
        }
    }
}
