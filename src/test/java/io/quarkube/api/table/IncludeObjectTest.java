package io.quarkube.api.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IncludeObjectTest {

    static Stream<Arguments> queryValues() {
        return Stream.of(
                Arguments.argumentSet("absent", null, IncludeObject.METADATA),
                Arguments.argumentSet("empty", "", IncludeObject.METADATA),
                Arguments.argumentSet("None", "None", IncludeObject.NONE),
                Arguments.argumentSet("Metadata", "Metadata", IncludeObject.METADATA),
                Arguments.argumentSet("Object", "Object", IncludeObject.OBJECT),
                Arguments.argumentSet("lower case", "object", IncludeObject.OBJECT));
    }

    @ParameterizedTest
    @MethodSource("queryValues")
    void parsesTheQueryValue(String queryValue, IncludeObject expected) {
        assertEquals(expected, IncludeObject.parse(queryValue));
    }

    @Test
    void rejectsUnknownValues() {
        assertThrows(IllegalArgumentException.class, () -> IncludeObject.parse("Everything"));
    }
}
