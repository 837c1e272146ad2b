package io.quarkube.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.util.IPAddress;

/**
 * Host names and IP literals as certificate subject alternative names. IPs are compared by their
 * bytes, so "::1" and "0:0:0:0:0:0:0:1" are the same address; DNS names ignore case.
 */
final class SubjectAlternativeNames {

    /** The names kube-apiserver puts in its own serving certificate, plus loopback. */
    static final List<String> SERVING_DEFAULTS = List.of(
            "localhost",
            "kubernetes",
            "kubernetes.default",
            "kubernetes.default.svc",
            "kubernetes.default.svc.cluster.local",
            "127.0.0.1",
            "::1");

    private SubjectAlternativeNames() {
    }

    static GeneralNames of(List<String> hosts) {
        return new GeneralNames(hosts.stream().map(SubjectAlternativeNames::generalName).toArray(GeneralName[]::new));
    }

    /** Whether the certificate names every one of the hosts. */
    static boolean covers(X509Certificate cert, List<String> hosts) {
        Set<String> present = namesIn(cert);
        return hosts.stream().map(SubjectAlternativeNames::canonical).allMatch(present::contains);
    }

    private static Set<String> namesIn(X509Certificate cert) {
        Set<String> names = new HashSet<>();
        try {
            Collection<List<?>> entries = cert.getSubjectAlternativeNames();
            if (entries != null) {
                for (List<?> entry : entries) {
                    int type = (Integer) entry.get(0);
                    if (type == GeneralName.dNSName || type == GeneralName.iPAddress) {
                        names.add(canonical((String) entry.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return Set.of();
        }
        return names;
    }

    private static GeneralName generalName(String host) {
        return new GeneralName(IPAddress.isValid(host) ? GeneralName.iPAddress : GeneralName.dNSName, host);
    }

    private static String canonical(String host) {
        if (!IPAddress.isValid(host)) {
            return host.toLowerCase(Locale.ROOT);
        }
        try {
            // A validated literal: parsed locally, never resolved through DNS.
            return InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + host, e);
        }
    }
}
