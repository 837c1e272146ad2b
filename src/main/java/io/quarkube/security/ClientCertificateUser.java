package io.quarkube.security;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Maps a verified client certificate to a user the way kube-apiserver's x509 authenticator does:
 * the subject common name is the user name and each subject organization is a group.
 * Chain verification against the CA is the TLS layer's job and happens before this.
 */
public final class ClientCertificateUser {

    private ClientCertificateUser() {
    }

    /** The user of the leaf certificate; empty when its common name is missing or blank. */
    public static Optional<UserInfo> fromCertificate(X509Certificate cert) {
        X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        List<String> names = attributeValues(subject, BCStyle.CN);
        if (names.isEmpty() || names.get(0).isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new UserInfo(names.get(0), attributeValues(subject, BCStyle.O)));
    }

    /** The user of a presented chain, whose first element is the client's own certificate. */
    public static Optional<UserInfo> fromChain(List<? extends Certificate> chain) {
        if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)) {
            return Optional.empty();
        }
        return fromCertificate(leaf);
    }

    /** Values of one attribute type in subject order, including those inside multi-valued RDNs. */
    private static List<String> attributeValues(X500Name subject, ASN1ObjectIdentifier type) {
        List<String> values = new ArrayList<>();
        for (RDN rdn : subject.getRDNs()) {
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                if (attribute.getType().equals(type)) {
                    values.add(text(attribute.getValue()));
                }
            }
        }
        return values;
    }

    // Unescaped string value: "system:masters" must stay as it is, not be rendered as an RFC 4514 string.
    private static String text(ASN1Encodable value) {
        return value instanceof ASN1String string ? string.getString() : value.toString();
    }
}
