package io.quarkube.registry.service;

import static io.quarkube.testing.TestJson.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.OptionalLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How cluster IPs and node ports are numbered, banded and recorded. */
class RangeValuesTest {

    static Stream<Arguments> staticBands() {
        return Stream.of(
                argumentSet("/12: capped at 256 addresses", new ClusterIpValues(IpRange.parse("10.96.0.0/12")), 256L),
                argumentSet("/24: at least 16", new ClusterIpValues(IpRange.parse("10.0.0.0/24")), 16L),
                argumentSet("/28: too small for a band", new ClusterIpValues(IpRange.parse("10.0.0.0/29")), 0L),
                argumentSet("default node ports: a 32nd", new NodePortValues(PortRange.parse("30000-32767")), 86L),
                argumentSet("wide node ports: capped at 128", new NodePortValues(PortRange.parse("20000-32767")), 128L));
    }

    @ParameterizedTest
    @MethodSource("staticBands")
    void staticBand(RangeAllocator.Values values, long expected) {
        assertEquals(expected, values.staticBand());
    }

    @Test
    void nodePortsAreNamedByNumber() {
        NodePortValues ports = new NodePortValues(PortRange.parse("30000-32767"));
        assertEquals("30005", ports.nameAt(5));
        assertEquals(OptionalLong.of(5), ports.offsetOf("30005"));
        assertEquals(OptionalLong.empty(), ports.offsetOf("8080"));
        assertEquals(OptionalLong.empty(), ports.offsetOf("http"));
    }

    @Test
    void anIpAddressRecordsItsServiceAsKubeApiserverDoes() {
        var address = new ClusterIpValues(IpRange.parse("10.96.0.0/12")).allocationObject("10.96.0.10",
                new RangeAllocator.Owner("kube-system", "kube-dns"));
        assertEquals(json("""
                {'apiVersion':'networking.k8s.io/v1','kind':'IPAddress','metadata':{'name':'10.96.0.10','labels':{
                  'ipaddress.kubernetes.io/ip-family':'IPv4','ipaddress.kubernetes.io/managed-by':'ipallocator.k8s.io'}},
                 'spec':{'parentRef':{'group':'','resource':'services','namespace':'kube-system','name':'kube-dns'}}}"""), address);
    }
}
