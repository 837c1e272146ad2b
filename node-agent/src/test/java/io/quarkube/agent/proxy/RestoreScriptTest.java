package io.quarkube.agent.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RestoreScriptTest {

    private static final ProxyChains CHAINS = new ProxyChains("QUARKUBE", "QK");
    private static final String SVC_A = "QK-SVC-AAAAAAAAAAAA";
    private static final String SVC_B = "QK-SVC-BBBBBBBBBBBB";
    private static final String SEP_B = "QK-SEP-BBBBBBBBBBBB";

    private static RuleSet rules(Map<String, List<String>> nat) {
        Map<String, Map<String, List<String>>> tables = new LinkedHashMap<>();
        tables.put("filter", Map.of("QUARKUBE-SERVICES", List.of()));
        tables.put("nat", nat);
        return new RuleSet(tables, List.of("QUARKUBE-SERVICES"));
    }

    private static Map<String, List<String>> nat(Object... chainsAndRules) {
        Map<String, List<String>> nat = new LinkedHashMap<>();
        for (int i = 0; i < chainsAndRules.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> rules = (List<String>) chainsAndRules[i + 1];
            nat.put((String) chainsAndRules[i], rules);
        }
        return nat;
    }

    @Test
    void partialWritesTheDispatchChainAndChangedChainsAndDeletesRemovedOnes() {
        RuleSet before = rules(nat("QUARKUBE-SERVICES", List.of("-j " + SVC_A, "-j " + SVC_B), SVC_A, List.of("-j ACCEPT"),
                SVC_B, List.of("-j " + SEP_B), SEP_B, List.of("-j DNAT --to-destination 10.88.0.2:80")));
        RuleSet after = rules(nat("QUARKUBE-SERVICES", List.of("-j " + SVC_A), SVC_A, List.of("-j RETURN")));

        assertEquals("""
                *filter
                :QUARKUBE-SERVICES - [0:0]
                COMMIT
                *nat
                :QUARKUBE-SERVICES - [0:0]
                :QK-SVC-AAAAAAAAAAAA - [0:0]
                :QK-SVC-BBBBBBBBBBBB - [0:0]
                :QK-SEP-BBBBBBBBBBBB - [0:0]
                -A QUARKUBE-SERVICES -j QK-SVC-AAAAAAAAAAAA
                -A QK-SVC-AAAAAAAAAAAA -j RETURN
                -X QK-SVC-BBBBBBBBBBBB
                -X QK-SEP-BBBBBBBBBBBB
                COMMIT
                """, RestoreScript.partial(before, after));
    }

    @Test
    void partialOfAnUnchangedRuleSetIsNothing() {
        RuleSet same = rules(nat("QUARKUBE-SERVICES", List.of("-j " + SVC_A), SVC_A, List.of("-j RETURN")));

        assertNull(RestoreScript.partial(same, rules(nat("QUARKUBE-SERVICES", List.of("-j " + SVC_A), SVC_A, List.of("-j RETURN")))));
    }

    @Test
    void fullWritesEveryChainDeletesStaleOnesOfOursOnlyAndAddsMissingJumps() {
        String saved = """
                *nat
                :PREROUTING ACCEPT [0:0]
                :OUTPUT ACCEPT [0:0]
                :POSTROUTING ACCEPT [0:0]
                :QUARKUBE-SERVICES - [0:0]
                :QK-SVC-BBBBBBBBBBBB - [0:0]
                :QK-T1A2B-SVC-BBBBBBBBBBBB - [0:0]
                :KUBE-SVC-BBBBBBBBBBBBBBBB - [0:0]
                -A PREROUTING -m comment --comment "quarkube service portals" -j QUARKUBE-SERVICES
                COMMIT
                *filter
                :INPUT ACCEPT [0:0]
                COMMIT
                """;
        RuleSet wanted = rules(nat("QUARKUBE-SERVICES", List.of("-j " + SVC_A), SVC_A, List.of("-j RETURN")));

        String script = RestoreScript.full(wanted, CHAINS, saved);

        assertEquals("""
                *filter
                :QUARKUBE-SERVICES - [0:0]
                -I INPUT 1 -m conntrack --ctstate NEW -m comment --comment "quarkube externally-visible service portals" -j QUARKUBE-EXT-SERVICES
                -I FORWARD 1 -m conntrack --ctstate NEW -m comment --comment "quarkube externally-visible service portals" -j QUARKUBE-EXT-SERVICES
                -I FORWARD 1 -m conntrack --ctstate NEW -m comment --comment "quarkube service portals" -j QUARKUBE-SERVICES
                -I OUTPUT 1 -m conntrack --ctstate NEW -m comment --comment "quarkube service portals" -j QUARKUBE-SERVICES
                -I FORWARD 1 -m comment --comment "quarkube forwarding rules" -j QUARKUBE-FORWARD
                COMMIT
                *nat
                :QUARKUBE-SERVICES - [0:0]
                :QK-SVC-AAAAAAAAAAAA - [0:0]
                :QK-SVC-BBBBBBBBBBBB - [0:0]
                -A QUARKUBE-SERVICES -j QK-SVC-AAAAAAAAAAAA
                -A QK-SVC-AAAAAAAAAAAA -j RETURN
                -I OUTPUT 1 -m comment --comment "quarkube service portals" -j QUARKUBE-SERVICES
                -I POSTROUTING 1 -m comment --comment "quarkube postrouting rules" -j QUARKUBE-POSTROUTING
                -X QK-SVC-BBBBBBBBBBBB
                COMMIT
                """, script, "another prefix's chain (QK-T1A2B-...) and kube-proxy's are left alone; PREROUTING already jumps");
    }

    @Test
    void cleanupDeletesTheJumpsThenTheChainsOfThisPrefixOnly() {
        String saved = """
                *nat
                :PREROUTING ACCEPT [0:0]
                :QUARKUBE-SERVICES - [0:0]
                :QUARKUBE-T1A2B-SERVICES - [0:0]
                :QK-SVC-AAAAAAAAAAAA - [0:0]
                -A PREROUTING -m comment --comment "quarkube service portals" -j QUARKUBE-SERVICES
                -A PREROUTING -m comment --comment "quarkube service portals" -j QUARKUBE-T1A2B-SERVICES
                -A QUARKUBE-SERVICES -d 10.96.0.20/32 -p tcp -m tcp --dport 80 -j QK-SVC-AAAAAAAAAAAA
                COMMIT
                *filter
                :INPUT ACCEPT [0:0]
                COMMIT
                """;

        assertEquals("""
                *nat
                :QUARKUBE-SERVICES - [0:0]
                :QK-SVC-AAAAAAAAAAAA - [0:0]
                -D PREROUTING -m comment --comment "quarkube service portals" -j QUARKUBE-SERVICES
                -X QUARKUBE-SERVICES
                -X QK-SVC-AAAAAAAAAAAA
                COMMIT
                """, RestoreScript.cleanup(CHAINS, saved));
    }
}
