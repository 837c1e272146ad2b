package io.quarkube.agent.proxy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The service proxy's chains with their rules, by table ("filter", "nat") and chain, in the order they are
 * written. Rules are iptables-restore lines without the leading {@code -A CHAIN}. {@code dispatchChains} are
 * the top-level chains that every sync rewrites; the rest are written only when their rules changed.
 */
public record RuleSet(Map<String, Map<String, List<String>>> tables, List<String> dispatchChains) {

    public RuleSet {
        Map<String, Map<String, List<String>>> copy = new LinkedHashMap<>();
        tables.forEach((table, chains) -> {
            Map<String, List<String>> chainsCopy = new LinkedHashMap<>();
            chains.forEach((chain, rules) -> chainsCopy.put(chain, List.copyOf(rules)));
            copy.put(table, java.util.Collections.unmodifiableMap(chainsCopy));
        });
        tables = java.util.Collections.unmodifiableMap(copy);
        dispatchChains = List.copyOf(dispatchChains);
    }

    public Map<String, List<String>> chains(String table) {
        return tables.getOrDefault(table, Map.of());
    }

    public int chainCount() {
        return tables.values().stream().mapToInt(Map::size).sum();
    }

    public int ruleCount() {
        return tables.values().stream().flatMap(chains -> chains.values().stream()).mapToInt(List::size).sum();
    }
}
