package io.quarkube.agent.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ProxyChainsTest {

    private static final ProxyChains DEFAULTS = ProxyChains.defaults();

    @ParameterizedTest
    @CsvSource({
            "QUARKUBE-SERVICES, true",
            "QUARKUBE-EXT-SERVICES, true",
            "QUARKUBE-MARK-MASQ, true",
            "QK-SVC-ABCDEFGHIJ23, true",
            "QK-SEP-ABCDEFGHIJ23, true",
            "QK-T1A2-SVC-ABCDEFGHIJ23, false",
            "QUARKUBE-T1A2-SERVICES, false",
            "QK-SVC-ABC, false",
            "KUBE-SERVICES, false",
            "CNI-HOSTPORT-DNAT, false"})
    void ownsOnlyChainsOfItsExactShape(String chain, boolean owned) {
        assertEquals(owned, DEFAULTS.owns(chain));
    }

    @Test
    void hashedNamesFitIptablesAndDifferByPrefixPortAndEndpoint() {
        String chain = DEFAULTS.serviceChain("ns/web:http", "tcp");
        ProxyChains test = new ProxyChains("QUARKUBE-T1A2B", "QK-T1A2B");

        assertTrue(chain.matches("QK-SVC-[A-Z2-7]{12}"), chain);
        assertEquals(chain, DEFAULTS.serviceChain("ns/web:http", "tcp"));
        assertNotEquals(chain, DEFAULTS.serviceChain("ns/web:https", "tcp"));
        assertNotEquals(DEFAULTS.endpointChain("ns/web:http", "tcp", "10.0.0.1:80"), DEFAULTS.endpointChain("ns/web:http", "tcp", "10.0.0.2:80"));
        assertTrue(test.endpointChain("ns/web:http", "tcp", "10.0.0.1:80").length() <= 28);
        assertTrue(test.owns(test.serviceChain("ns/web:http", "tcp")));
        assertTrue(!DEFAULTS.owns(test.serviceChain("ns/web:http", "tcp")));
    }

    @Test
    void prefixesTooLongForIptablesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ProxyChains("QUARKUBE-MUCH-TOO-LONG", "QK"));
        assertThrows(IllegalArgumentException.class, () -> new ProxyChains("QUARKUBE", "QK-MUCH-TOO-LONG"));
        assertThrows(IllegalArgumentException.class, () -> new ProxyChains("quarkube", "QK"));
    }
}
