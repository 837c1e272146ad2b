package io.quarkube.security;

import java.util.Optional;

import org.bouncycastle.util.IPAddress;

/**
 * The address the API server listens on, and what it means for certificates and client URLs.
 *
 * @param host an IP literal or DNS name, without IPv6 brackets; "0.0.0.0" or "::" for all interfaces
 */
public record BindAddress(String host) {

    private static final String LOOPBACK = "127.0.0.1";

    /** Parses a configured bind address; blank means all interfaces, IPv6 brackets are dropped. */
    public static BindAddress of(String configured) {
        if (configured == null || configured.isBlank()) {
            return new BindAddress("0.0.0.0");
        }
        String host = configured.strip();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new BindAddress(host);
    }

    /** Whether the server listens on every interface, so no single address names it. */
    public boolean isWildcard() {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }

    public boolean isIpLiteral() {
        return IPAddress.isValid(host);
    }

    /** The extra subject alternative name the serving certificate needs, if any. */
    public Optional<String> servingName() {
        return isWildcard() ? Optional.empty() : Optional.of(host);
    }

    /** The host a local client should dial: loopback for a wildcard bind, else the address itself. */
    public String clientHost() {
        return isWildcard() ? LOOPBACK : host;
    }

    /** "https://HOST:PORT", with IPv6 literals in brackets as URLs require. */
    public String serverUrl(int port) {
        String clientHost = clientHost();
        String urlHost = IPAddress.isValidIPv6(clientHost) ? "[" + clientHost + "]" : clientHost;
        return "https://" + urlHost + ":" + port;
    }
}
