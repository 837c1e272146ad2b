package io.quarkube.agent.proxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The names of the service proxy's iptables chains. Two prefixes, so that several proxies (several agents,
 * or tests beside a running agent) can share one host's tables without touching each other's chains:
 * the top-level chains are PREFIX-SERVICES, PREFIX-NODEPORTS, ... (default prefix QUARKUBE), the chains
 * of each service port and endpoint SHORT-SVC-HASH, SHORT-SEP-HASH, ... (default QK), as kube-proxy's
 * KUBE-SVC-/KUBE-SEP- chains. The hash covers the short prefix too, and ownership is decided by the exact
 * shape of a name, so a proxy never mistakes another prefix's chains for its own.
 */
public record ProxyChains(String prefix, String shortPrefix) {

    /** iptables chain names are at most 28 characters. */
    static final int MAX_CHAIN_NAME = 28;
    static final int HASH_LENGTH = 12;
    private static final List<String> TOP_LEVEL = List.of("SERVICES", "EXT-SERVICES", "NODEPORTS", "POSTROUTING", "MARK-MASQ", "FORWARD");
    private static final List<String> PER_SERVICE = List.of("SVC", "SVL", "EXT", "SEP");
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    public ProxyChains {
        if (!prefix.matches("[A-Z][A-Z0-9-]*") || prefix.length() + 1 + "EXT-SERVICES".length() > MAX_CHAIN_NAME) {
            throw new IllegalArgumentException("chain prefix must be upper case letters, digits and dashes, at most "
                    + (MAX_CHAIN_NAME - 1 - "EXT-SERVICES".length()) + " characters: " + prefix);
        }
        if (!shortPrefix.matches("[A-Z][A-Z0-9-]*") || shortPrefix.length() + "-SVC-".length() + HASH_LENGTH > MAX_CHAIN_NAME) {
            throw new IllegalArgumentException("service chain prefix must be upper case letters, digits and dashes, at most "
                    + (MAX_CHAIN_NAME - "-SVC-".length() - HASH_LENGTH) + " characters: " + shortPrefix);
        }
        if (prefix.equals(shortPrefix)) {
            throw new IllegalArgumentException("the chain prefix and the service chain prefix must differ: " + prefix);
        }
    }

    public static ProxyChains defaults() {
        return new ProxyChains("QUARKUBE", "QK");
    }

    public String services() {
        return prefix + "-SERVICES";
    }

    /** Filter table: node ports without endpoints (kube-proxy's KUBE-EXTERNAL-SERVICES). */
    public String externalServices() {
        return prefix + "-EXT-SERVICES";
    }

    public String nodePorts() {
        return prefix + "-NODEPORTS";
    }

    public String postrouting() {
        return prefix + "-POSTROUTING";
    }

    public String markMasquerade() {
        return prefix + "-MARK-MASQ";
    }

    public String forward() {
        return prefix + "-FORWARD";
    }

    /** The cluster policy chain of a service port: every usable endpoint. */
    public String serviceChain(String servicePortName, String protocol) {
        return hashed("SVC", servicePortName + "/" + protocol);
    }

    /** The local policy chain of a service port: this node's endpoints only. */
    public String serviceLocalChain(String servicePortName, String protocol) {
        return hashed("SVL", servicePortName + "/" + protocol);
    }

    /** Node port traffic of a service port, before it is sent to the cluster or local policy chain. */
    public String externalChain(String servicePortName, String protocol) {
        return hashed("EXT", servicePortName + "/" + protocol);
    }

    public String endpointChain(String servicePortName, String protocol, String endpoint) {
        return hashed("SEP", servicePortName + "/" + protocol + "/" + endpoint);
    }

    /** Whether this proxy made a chain of this name (exact shape, so other prefixes' chains never match). */
    public boolean owns(String chain) {
        for (String name : TOP_LEVEL) {
            if (chain.equals(prefix + "-" + name)) {
                return true;
            }
        }
        return ownedPattern().matcher(chain).matches();
    }

    private Pattern ownedPattern() {
        return Pattern.compile(Pattern.quote(shortPrefix) + "-(" + String.join("|", PER_SERVICE) + ")-[A-Z2-7]{" + HASH_LENGTH + "}");
    }

    private String hashed(String kind, String what) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((shortPrefix + "/" + what).getBytes(StandardCharsets.UTF_8));
            StringBuilder name = new StringBuilder(shortPrefix).append('-').append(kind).append('-');
            // base32 of the first 60 bits, as kube-proxy names its chains by base32 of a SHA-256
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = (bits << 8) | (digest[i] & 0xff);
            }
            for (int i = 0; i < HASH_LENGTH; i++) {
                name.append(BASE32[(int) ((bits >>> (64 - 5 * (i + 1))) & 31)]);
            }
            return name.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
