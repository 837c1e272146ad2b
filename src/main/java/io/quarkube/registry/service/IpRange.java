package io.quarkube.registry.service;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.OptionalLong;

/**
 * An IPv4 service CIDR such as 10.96.0.0/12. Offsets count usable addresses: the network and
 * broadcast addresses are never handed out, so offset 0 is the first address (10.96.0.1), the
 * kubernetes Service's.
 */
public record IpRange(String cidr, long network, int prefixLength) {

    public static IpRange parse(String cidr) {
        String[] parts = cidr.trim().split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("not a CIDR: " + cidr);
        }
        int prefix = Integer.parseInt(parts[1]);
        if (prefix < 1 || prefix > 30) {
            throw new IllegalArgumentException("the service CIDR " + cidr + " must have a prefix length between 1 and 30");
        }
        long address = toLong(parts[0]).orElseThrow(() -> new IllegalArgumentException("not an IPv4 CIDR: " + cidr));
        long mask = (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        long network = address & mask;
        return new IpRange(format(network) + "/" + prefix, network, prefix);
    }

    /** How many addresses may be allocated. */
    public long size() {
        return (1L << (32 - prefixLength)) - 2;
    }

    public String addressAt(long offset) {
        return format(network + 1 + offset);
    }

    /** The address's offset, or empty when it is not a usable address of this range. */
    public OptionalLong offsetOf(String address) {
        OptionalLong value = toLong(address);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        long offset = value.getAsLong() - network - 1;
        return offset >= 0 && offset < size() ? OptionalLong.of(offset) : OptionalLong.empty();
    }

    /** The address in dotted form, or empty for anything else (host names included: nothing is resolved). */
    static OptionalLong toLong(String text) {
        if (text == null || !text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            return OptionalLong.empty();
        }
        try {
            byte[] bytes = InetAddress.getByName(text).getAddress();
            long value = 0;
            for (byte b : bytes) {
                value = (value << 8) | (b & 0xFF);
            }
            return OptionalLong.of(value);
        } catch (UnknownHostException e) {
            return OptionalLong.empty();
        }
    }

    static String format(long value) {
        try {
            return ((Inet4Address) InetAddress.getByAddress(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16),
                    (byte) (value >>> 8), (byte) value})).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether text is an IPv4 address in canonical dotted form (no leading zeros), as the IPAddress name must be. */
    public static boolean isCanonicalIpv4(String text) {
        OptionalLong value = toLong(text);
        return value.isPresent() && format(value.getAsLong()).equals(text);
    }
}
