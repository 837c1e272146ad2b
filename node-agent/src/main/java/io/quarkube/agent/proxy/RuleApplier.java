package io.quarkube.agent.proxy;

import java.util.List;

/**
 * Brings the kernel's tables to a {@link RuleSet}: a full write the first time and after any failure (the
 * kernel may then hold anything), else only the chains that changed since the last write that succeeded.
 */
public final class RuleApplier {

    /** What one apply did. */
    public record Applied(boolean full, boolean changed, int chainsWritten, long nanos) {
    }

    private final Iptables iptables;
    private final ProxyChains chains;
    private RuleSet applied;

    public RuleApplier(Iptables iptables, ProxyChains chains) {
        this.iptables = iptables;
        this.chains = chains;
    }

    public synchronized Applied apply(RuleSet wanted, boolean forceFull) {
        long start = System.nanoTime();
        boolean full = forceFull || applied == null;
        String script = full
                ? RestoreScript.full(wanted, chains, iptables.save(List.of(ProxyRuleGenerator.NAT, ProxyRuleGenerator.FILTER)))
                : RestoreScript.partial(applied, wanted);
        if (script == null) {
            return new Applied(false, false, 0, System.nanoTime() - start);
        }
        applied = null; // unknown until the write succeeds
        iptables.restore(script);
        applied = wanted;
        int written = (int) script.lines().filter(line -> line.startsWith(":")).count();
        return new Applied(full, true, written, System.nanoTime() - start);
    }

    /** Removes the jumps into this proxy's chains and the chains themselves. */
    public synchronized void cleanup() {
        applied = null;
        iptables.restore(RestoreScript.cleanup(chains, iptables.save(List.of(ProxyRuleGenerator.NAT, ProxyRuleGenerator.FILTER))));
    }
}
