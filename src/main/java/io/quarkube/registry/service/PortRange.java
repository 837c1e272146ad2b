package io.quarkube.registry.service;

/** The node port range, e.g. 30000-32767, both ends included. */
public record PortRange(int first, int last) {

    public static PortRange parse(String range) {
        String[] parts = range.trim().split("-");
        if (parts.length != 2) {
            throw new IllegalArgumentException("not a port range: " + range);
        }
        int first = Integer.parseInt(parts[0].trim());
        int last = Integer.parseInt(parts[1].trim());
        if (first < 1 || last > 65535 || last < first) {
            throw new IllegalArgumentException("not a port range: " + range);
        }
        return new PortRange(first, last);
    }

    public int size() {
        return last - first + 1;
    }

    public boolean contains(int port) {
        return port >= first && port <= last;
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
