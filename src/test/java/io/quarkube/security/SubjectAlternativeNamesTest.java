package io.quarkube.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SubjectAlternativeNamesTest {

    private static final X509Certificate SERVING = CertificateAuthority.create(Instant.now()).issue(
            CertificateProfile.serving(List.of("localhost", "Cp.Example.com", "10.1.2.3", "::1")),
            CertificateAuthority.generateKeyPair().getPublic(), Instant.now());

    static Stream<Arguments> hosts() {
        return Stream.of(
                Arguments.argumentSet("DNS name", List.of("localhost"), true),
                Arguments.argumentSet("DNS names ignore case", List.of("cp.example.COM"), true),
                Arguments.argumentSet("IPv4 address", List.of("10.1.2.3"), true),
                Arguments.argumentSet("IPv6 in long form", List.of("0:0:0:0:0:0:0:1"), true),
                Arguments.argumentSet("all of several", List.of("localhost", "::1", "10.1.2.3"), true),
                Arguments.argumentSet("one missing", List.of("localhost", "10.9.9.9"), false),
                Arguments.argumentSet("IP given as DNS name is not an IP SAN", List.of("10.1.2.4"), false),
                Arguments.argumentSet("other DNS name", List.of("kubernetes"), false));
    }

    @ParameterizedTest
    @MethodSource("hosts")
    void coversOnlyWhenEveryHostIsNamed(List<String> hosts, boolean covered) {
        assertEquals(covered, SubjectAlternativeNames.covers(SERVING, hosts));
    }
}
