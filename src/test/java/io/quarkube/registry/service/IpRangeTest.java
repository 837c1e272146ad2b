package io.quarkube.registry.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.OptionalLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpRangeTest {

    private final IpRange range = IpRange.parse("10.96.0.0/12");

    @Test
    void theDefaultRangeHoldsAMillionAddressesFromDotOne() {
        assertEquals((1L << 20) - 2, range.size());
        assertEquals("10.96.0.1", range.addressAt(0));
        assertEquals("10.111.255.254", range.addressAt(range.size() - 1));
    }

    static Stream<Arguments> offsets() {
        return Stream.of(
                argumentSet("first address", "10.96.0.1", OptionalLong.of(0)),
                argumentSet("across an octet", "10.96.1.0", OptionalLong.of(255)),
                argumentSet("network address", "10.96.0.0", OptionalLong.empty()),
                argumentSet("broadcast address", "10.111.255.255", OptionalLong.empty()),
                argumentSet("outside", "10.112.0.1", OptionalLong.empty()),
                argumentSet("not an address", "web", OptionalLong.empty()),
                argumentSet("a host name is not resolved", "localhost", OptionalLong.empty()));
    }

    @ParameterizedTest
    @MethodSource("offsets")
    void offsetOf(String address, OptionalLong expected) {
        assertEquals(expected, range.offsetOf(address));
    }

    @Test
    void aCidrIsNormalisedToItsNetwork() {
        assertEquals("192.168.1.0/24", IpRange.parse("192.168.1.77/24").cidr());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.96.0.0", "10.96.0.0/33", "10.96.0.0/31", "fd00::/108", "ten/12"})
    void malformedRangesAreRefused(String cidr) {
        assertThrows(IllegalArgumentException.class, () -> IpRange.parse(cidr));
    }

    static Stream<Arguments> canonical() {
        return Stream.of(
                argumentSet("canonical", "10.96.0.10", true),
                argumentSet("leading zero", "10.96.0.010", false),
                argumentSet("octet too large", "10.96.0.256", false),
                argumentSet("IPv6", "fd00::1", false));
    }

    @ParameterizedTest
    @MethodSource("canonical")
    void isCanonicalIpv4(String text, boolean expected) {
        assertEquals(expected, IpRange.isCanonicalIpv4(text));
    }
}
