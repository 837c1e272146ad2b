package io.quarkube.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BindAddressTest {

    static Stream<Arguments> addresses() {
        return Stream.of(
                Arguments.argumentSet("IPv4 wildcard", "0.0.0.0", Optional.empty(), "https://127.0.0.1:6443"),
                Arguments.argumentSet("IPv6 wildcard", "::", Optional.empty(), "https://127.0.0.1:6443"),
                Arguments.argumentSet("unset", null, Optional.empty(), "https://127.0.0.1:6443"),
                Arguments.argumentSet("blank", " ", Optional.empty(), "https://127.0.0.1:6443"),
                Arguments.argumentSet("loopback", "127.0.0.1", Optional.of("127.0.0.1"), "https://127.0.0.1:6443"),
                Arguments.argumentSet("IPv4", "10.1.2.3", Optional.of("10.1.2.3"), "https://10.1.2.3:6443"),
                Arguments.argumentSet("IPv6", "fd00::5", Optional.of("fd00::5"), "https://[fd00::5]:6443"),
                Arguments.argumentSet("IPv6 in brackets", "[::1]", Optional.of("::1"), "https://[::1]:6443"),
                Arguments.argumentSet("DNS name", "cp.example.com", Optional.of("cp.example.com"),
                        "https://cp.example.com:6443"));
    }

    @ParameterizedTest
    @MethodSource("addresses")
    void servingNameAndClientUrlFollowTheBindAddress(String configured, Optional<String> servingName, String url) {
        BindAddress bind = BindAddress.of(configured);

        assertEquals(servingName, bind.servingName());
        assertEquals(url, bind.serverUrl(6443));
    }
}
