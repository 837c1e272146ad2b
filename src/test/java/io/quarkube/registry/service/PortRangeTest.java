package io.quarkube.registry.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PortRangeTest {

    @Test
    void theDefaultRangeIncludesBothEnds() {
        PortRange range = PortRange.parse("30000-32767");
        assertEquals(2768, range.size());
        assertTrue(range.contains(30000));
        assertTrue(range.contains(32767));
        assertFalse(range.contains(29999));
        assertFalse(range.contains(32768));
        assertEquals("30000-32767", range.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"30000", "32767-30000", "0-100", "30000-70000", "a-b"})
    void malformedRangesAreRefused(String range) {
        assertThrows(IllegalArgumentException.class, () -> PortRange.parse(range));
    }
}
