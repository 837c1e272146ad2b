package io.quarkube.api.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PatchTypeTest {

    static Stream<Arguments> contentTypes() {
        return Stream.of(
                argumentSet("JSON patch", "application/json-patch+json", Optional.of(PatchType.JSON_PATCH)),
                argumentSet("merge patch with a charset", "application/merge-patch+json; charset=utf-8", Optional.of(PatchType.MERGE_PATCH)),
                argumentSet("strategic merge patch", "application/strategic-merge-patch+json", Optional.of(PatchType.STRATEGIC_MERGE_PATCH)),
                argumentSet("apply patch in upper case", "Application/Apply-Patch+YAML", Optional.of(PatchType.APPLY_PATCH)),
                argumentSet("plain JSON is no patch type", "application/json", Optional.empty()),
                argumentSet("no content type", null, Optional.empty()));
    }

    @ParameterizedTest
    @MethodSource("contentTypes")
    void readsTheMediaType(String contentType, Optional<PatchType> expected) {
        assertEquals(expected, PatchType.fromContentType(contentType));
    }
}
