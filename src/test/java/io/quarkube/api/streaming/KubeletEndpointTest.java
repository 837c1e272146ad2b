package io.quarkube.api.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.registry.StatusException;

class KubeletEndpointTest {

    static Stream<Arguments> nodes() {
        return Stream.of(
                Arguments.argumentSet("InternalIP before Hostname, the reported port",
                        """
                        {"metadata":{"name":"n1"},"status":{"addresses":[{"type":"Hostname","address":"n1"},
                         {"type":"InternalIP","address":"10.0.0.5"}],"daemonEndpoints":{"kubeletEndpoint":{"Port":10260}}}}""",
                        "10.0.0.5:10260"),
                Arguments.argumentSet("the Hostname without an InternalIP, port 10250 when none is reported",
                        """
                        {"metadata":{"name":"n1"},"status":{"addresses":[{"type":"Hostname","address":"n1"}]}}""",
                        "n1:10250"),
                Arguments.argumentSet("an IPv6 address in brackets",
                        """
                        {"metadata":{"name":"n1"},"status":{"addresses":[{"type":"InternalIP","address":"fd00::5"}],
                         "daemonEndpoints":{"kubeletEndpoint":{"Port":10250}}}}""",
                        "[fd00::5]:10250"));
    }

    @ParameterizedTest
    @MethodSource("nodes")
    void findsTheAgent(String node, String authority) {
        assertEquals(authority, KubeletEndpoint.of((ObjectNode) Json.parseObject(node)).authority());
    }

    @Test
    void aNodeWithoutAddressesCannotBeReached() {
        ObjectNode node = Json.parseObject("""
                {"metadata":{"name":"n1"},"status":{}}""");
        StatusException refusal = assertThrows(StatusException.class, () -> KubeletEndpoint.of(node));
        assertEquals(500, refusal.code());
    }
}
