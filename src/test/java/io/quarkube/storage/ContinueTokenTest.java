package io.quarkube.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContinueTokenTest {

    static Stream<Arguments> tokens() {
        return Stream.of(
                argumentSet("namespaced", new ContinueToken(42, "default", "web-1")),
                argumentSet("cluster-scoped", new ContinueToken(7, "", "node-a")),
                argumentSet("large revision", new ContinueToken(Long.MAX_VALUE, "ns", "x")),
                argumentSet("names needing escapes", new ContinueToken(1, "ns", "a\"b/c+d=")));
    }

    @ParameterizedTest
    @MethodSource("tokens")
    void roundTrip(ContinueToken token) {
        assertEquals(token, ContinueToken.decode(token.encode()));
    }

    static Stream<Arguments> garbage() {
        return Stream.of(
                argumentSet("empty", ""),
                argumentSet("not base64", "***"),
                argumentSet("base64 of text", encoded("hello")),
                argumentSet("base64 of an array", encoded("[1,2]")),
                argumentSet("revision missing", encoded("{'ns':'a','name':'b'}")),
                argumentSet("revision as text", encoded("{'rv':'12','ns':'a','name':'b'}")),
                argumentSet("name missing", encoded("{'rv':12,'ns':'a'}")),
                argumentSet("namespace a number", encoded("{'rv':12,'ns':3,'name':'b'}")));
    }

    @ParameterizedTest
    @MethodSource("garbage")
    void garbageIsRejected(String encoded) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ContinueToken.decode(encoded));
        assertEquals(true, e.getMessage().startsWith("continue key is not valid"), e.getMessage());
    }

    private static String encoded(String singleQuoted) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }
}
