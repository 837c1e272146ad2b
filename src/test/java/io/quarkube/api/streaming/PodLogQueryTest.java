package io.quarkube.api.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkube.registry.StatusException;

class PodLogQueryTest {

    static Stream<Arguments> passedOn() {
        return Stream.of(
                Arguments.argumentSet("nothing", Map.of(), ""),
                Arguments.argumentSet("the container is in the path, not the query", Map.of("container", "main"), ""),
                Arguments.argumentSet("flags as Go's ParseBool reads them", Map.of("follow", "1", "previous", "True", "timestamps", "false"),
                        "follow=true&previous=true"),
                Arguments.argumentSet("numbers", Map.of("tailLines", "10", "limitBytes", "500", "sinceSeconds", "60"),
                        "sinceSeconds=60&tailLines=10&limitBytes=500"),
                Arguments.argumentSet("sinceTime in UTC, whole seconds", Map.of("sinceTime", "2026-01-02T05:04:05.5+02:00"),
                        "sinceTime=2026-01-02T03%3A04%3A05Z"),
                Arguments.argumentSet("tailLines 0 is allowed", Map.of("tailLines", "0"), "tailLines=0"));
    }

    @ParameterizedTest
    @MethodSource("passedOn")
    void buildsTheAgentQuery(Map<String, String> params, String expected) {
        assertEquals(expected, PodLogQuery.parse("web", params::get).agentQuery());
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.argumentSet("negative tailLines", Map.of("tailLines", "-1"), 422,
                        "PodLogOptions \"web\" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0"),
                Arguments.argumentSet("zero limitBytes", Map.of("limitBytes", "0"), 422,
                        "PodLogOptions \"web\" is invalid: limitBytes: Invalid value: 0: must be greater than 0"),
                Arguments.argumentSet("zero sinceSeconds", Map.of("sinceSeconds", "0"), 422,
                        "PodLogOptions \"web\" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0"),
                Arguments.argumentSet("both since forms", Map.of("sinceSeconds", "5", "sinceTime", "2026-01-01T00:00:00Z"), 422,
                        "PodLogOptions \"web\" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified"),
                Arguments.argumentSet("a number that is none", Map.of("tailLines", "ten"), 400,
                        "strconv.ParseInt: parsing \"ten\": invalid syntax"),
                Arguments.argumentSet("a flag that is none", Map.of("follow", "yes"), 400, "invalid boolean value for follow: yes"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusesBadOptions(Map<String, String> params, int code, String message) {
        StatusException refusal = assertThrows(StatusException.class, () -> PodLogQuery.parse("web", params::get));
        assertEquals(code, refusal.code());
        assertEquals(message, refusal.getMessage());
    }
}
