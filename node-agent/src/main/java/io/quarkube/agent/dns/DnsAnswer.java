package io.quarkube.agent.dns;

import java.util.List;

/**
 * What cluster DNS answers to one question: records, or NXDOMAIN, or "ask upstream" for names outside the
 * cluster domain. {@code authority} carries the zone's SOA with negative answers, for negative caching.
 */
public record DnsAnswer(Code code, List<Record> answers, List<Record> additionals, List<Record> authority) {

    public enum Code { NOERROR, NXDOMAIN, FORWARD }

    public sealed interface Record permits A, Cname, Srv, Soa {
        String name();

        int ttl();
    }

    public record A(String name, int ttl, String ip) implements Record {
    }

    public record Cname(String name, int ttl, String target) implements Record {
    }

    public record Srv(String name, int ttl, int priority, int weight, int port, String target) implements Record {
    }

    public record Soa(String name, int ttl, String primary, String mailbox, long serial, int refresh, int retry, int expire, int minimum)
            implements Record {
    }

    public DnsAnswer {
        answers = List.copyOf(answers);
        additionals = List.copyOf(additionals);
        authority = List.copyOf(authority);
    }

    public static DnsAnswer forward() {
        return new DnsAnswer(Code.FORWARD, List.of(), List.of(), List.of());
    }
}
