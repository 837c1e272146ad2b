package io.quarkube.agent.proxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * iptables-restore input (for {@code --noflush}) that turns the kernel's tables into a {@link RuleSet}.
 * Declaring a chain ({@code :NAME - [0:0]}) creates or flushes it, so a script touches only the chains it
 * names: the full one every chain of the rule set plus stale chains of ours found in the kernel; the partial
 * one (kube-proxy's "minimize iptables-restore") only the dispatch chains, chains whose rules changed and
 * chains of removed services. Chains are deleted ({@code -X}) after every rule that pointed at them is gone.
 * Pure.
 */
public final class RestoreScript {

    /** A rule in a built-in chain that sends traffic into the proxy's chains, e.g. nat PREROUTING → PREFIX-SERVICES. */
    public record Jump(String table, String builtinChain, String rule, String target) {
    }

    private RestoreScript() {
    }

    /** The jumps from the built-in chains, as kube-proxy installs them (first in each chain). */
    public static List<Jump> jumps(ProxyChains chains) {
        String services = chains.services();
        return List.of(
                new Jump(ProxyRuleGenerator.NAT, "PREROUTING", "-m comment --comment \"quarkube service portals\" -j " + services, services),
                new Jump(ProxyRuleGenerator.NAT, "OUTPUT", "-m comment --comment \"quarkube service portals\" -j " + services, services),
                new Jump(ProxyRuleGenerator.NAT, "POSTROUTING", "-m comment --comment \"quarkube postrouting rules\" -j " + chains.postrouting(),
                        chains.postrouting()),
                new Jump(ProxyRuleGenerator.FILTER, "INPUT", "-m conntrack --ctstate NEW -m comment --comment \"quarkube externally-visible service portals\" -j "
                        + chains.externalServices(), chains.externalServices()),
                new Jump(ProxyRuleGenerator.FILTER, "FORWARD", "-m conntrack --ctstate NEW -m comment --comment \"quarkube externally-visible service portals\" -j "
                        + chains.externalServices(), chains.externalServices()),
                new Jump(ProxyRuleGenerator.FILTER, "FORWARD", "-m conntrack --ctstate NEW -m comment --comment \"quarkube service portals\" -j " + services,
                        services),
                new Jump(ProxyRuleGenerator.FILTER, "OUTPUT", "-m conntrack --ctstate NEW -m comment --comment \"quarkube service portals\" -j " + services,
                        services),
                new Jump(ProxyRuleGenerator.FILTER, "FORWARD", "-m comment --comment \"quarkube forwarding rules\" -j " + chains.forward(), chains.forward()));
    }

    /**
     * Every chain of the rule set, written; chains of ours that the kernel has ({@code saved}, iptables-save output of
     * the nat and filter tables) but the rule set lacks, deleted; jumps from the built-in chains added where missing.
     */
    public static String full(RuleSet rules, ProxyChains chains, String saved) {
        SavedTables kernel = SavedTables.parse(saved);
        StringBuilder script = new StringBuilder();
        for (String table : tables(rules)) {
            Map<String, List<String>> wanted = rules.chains(table);
            Set<String> stale = new LinkedHashSet<>();
            for (String chain : kernel.chains(table)) {
                if (chains.owns(chain) && !wanted.containsKey(chain)) {
                    stale.add(chain);
                }
            }
            List<String> jumps = new ArrayList<>();
            for (Jump jump : jumps(chains)) {
                if (jump.table().equals(table) && !kernel.jumps(table, jump.builtinChain()).contains(jump.target())) {
                    jumps.add("-I " + jump.builtinChain() + " 1 " + jump.rule());
                }
            }
            writeTable(script, table, wanted, wanted.keySet(), stale, jumps);
        }
        return script.toString();
    }

    /** Only what changed from {@code applied} to {@code wanted}, plus the dispatch chains; null when nothing changed. */
    public static String partial(RuleSet applied, RuleSet wanted) {
        if (applied.equals(wanted)) {
            return null;
        }
        StringBuilder script = new StringBuilder();
        for (String table : tables(wanted)) {
            Map<String, List<String>> now = wanted.chains(table);
            Map<String, List<String>> before = applied.chains(table);
            Set<String> write = new LinkedHashSet<>();
            for (Map.Entry<String, List<String>> chain : now.entrySet()) {
                if (wanted.dispatchChains().contains(chain.getKey()) || !Objects.equals(before.get(chain.getKey()), chain.getValue())) {
                    write.add(chain.getKey());
                }
            }
            Set<String> stale = new LinkedHashSet<>(before.keySet());
            stale.removeAll(now.keySet());
            writeTable(script, table, now, write, stale, List.of());
        }
        return script.toString();
    }

    /** Removes every trace of the proxy named by {@code chains}: the jumps into its chains, then the chains. */
    public static String cleanup(ProxyChains chains, String saved) {
        SavedTables kernel = SavedTables.parse(saved);
        StringBuilder script = new StringBuilder();
        for (String table : kernel.tables()) {
            Set<String> ours = new LinkedHashSet<>();
            for (String chain : kernel.chains(table)) {
                if (chains.owns(chain)) {
                    ours.add(chain);
                }
            }
            List<String> deletes = new ArrayList<>();
            for (SavedTables.Rule rule : kernel.rules(table)) {
                if (!chains.owns(rule.chain()) && ours.contains(rule.target())) {
                    deletes.add("-D " + rule.chain() + " " + rule.spec());
                }
            }
            if (ours.isEmpty() && deletes.isEmpty()) {
                continue;
            }
            script.append('*').append(table).append('\n');
            ours.forEach(chain -> script.append(':').append(chain).append(" - [0:0]\n"));
            deletes.forEach(line -> script.append(line).append('\n'));
            ours.forEach(chain -> script.append("-X ").append(chain).append('\n'));
            script.append("COMMIT\n");
        }
        return script.toString();
    }

    private static Set<String> tables(RuleSet rules) {
        return new LinkedHashSet<>(rules.tables().keySet());
    }

    private static void writeTable(StringBuilder script, String table, Map<String, List<String>> rules, Set<String> write, Set<String> stale,
            List<String> extra) {
        if (write.isEmpty() && stale.isEmpty() && extra.isEmpty()) {
            return;
        }
        script.append('*').append(table).append('\n');
        for (String chain : write) {
            script.append(':').append(chain).append(" - [0:0]\n");
        }
        // Stale chains are flushed first, so nothing points at another stale chain when they are deleted.
        for (String chain : stale) {
            script.append(':').append(chain).append(" - [0:0]\n");
        }
        for (String chain : write) {
            for (String rule : rules.get(chain)) {
                script.append("-A ").append(chain).append(' ').append(rule).append('\n');
            }
        }
        for (String line : extra) {
            script.append(line).append('\n');
        }
        for (String chain : stale) {
            script.append("-X ").append(chain).append('\n');
        }
        script.append("COMMIT\n");
    }

    /** What iptables-save printed: chains and rules by table. */
    record SavedTables(Map<String, Set<String>> chainsByTable, Map<String, List<Rule>> rulesByTable) {

        record Rule(String chain, String spec, String target) {
        }

        static SavedTables parse(String saved) {
            Map<String, Set<String>> chains = new LinkedHashMap<>();
            Map<String, List<Rule>> rules = new LinkedHashMap<>();
            String table = null;
            for (String line : saved.split("\n")) {
                if (line.startsWith("*")) {
                    table = line.substring(1).strip();
                    chains.computeIfAbsent(table, t -> new LinkedHashSet<>());
                    rules.computeIfAbsent(table, t -> new ArrayList<>());
                } else if (table != null && line.startsWith(":")) {
                    chains.get(table).add(line.substring(1).split(" ", 2)[0]);
                } else if (table != null && line.startsWith("-A ")) {
                    String[] parts = line.substring(3).split(" ", 2);
                    String spec = parts.length > 1 ? parts[1] : "";
                    rules.get(table).add(new Rule(parts[0], spec, target(spec)));
                }
            }
            return new SavedTables(chains, rules);
        }

        private static String target(String spec) {
            String[] words = spec.split(" ");
            for (int i = 0; i + 1 < words.length; i++) {
                if (words[i].equals("-j") || words[i].equals("-g")) {
                    return words[i + 1];
                }
            }
            return "";
        }

        Set<String> tables() {
            return chainsByTable.keySet();
        }

        Set<String> chains(String table) {
            return chainsByTable.getOrDefault(table, Set.of());
        }

        List<Rule> rules(String table) {
            return rulesByTable.getOrDefault(table, List.of());
        }

        /** The targets that a built-in chain jumps to. */
        Set<String> jumps(String table, String builtinChain) {
            Set<String> targets = new LinkedHashSet<>();
            for (Rule rule : rules(table)) {
                if (rule.chain().equals(builtinChain)) {
                    targets.add(rule.target());
                }
            }
            return targets;
        }
    }
}
