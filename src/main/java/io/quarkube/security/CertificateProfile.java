package io.quarkube.security;

import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * What a leaf certificate the cluster CA signs says about its holder.
 *
 * @param subject         distinguished name
 * @param alternativeNames DNS names and IP literals; empty for client certificates
 * @param purpose         the single extended key usage: serverAuth or clientAuth
 */
record CertificateProfile(X500Name subject, List<String> alternativeNames, KeyPurposeId purpose) {

    static final String SERVING_COMMON_NAME = "quarkube-apiserver";

    CertificateProfile {
        alternativeNames = List.copyOf(alternativeNames);
    }

    static CertificateProfile serving(List<String> alternativeNames) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, SERVING_COMMON_NAME).build();
        return new CertificateProfile(subject, alternativeNames, KeyPurposeId.id_kp_serverAuth);
    }

    /** Subject O=group... CN=user, the layout Go's pkix.Name and kubeadm produce for client certificates. */
    static CertificateProfile client(String user, List<String> groups) {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("a client certificate needs a user name");
        }
        X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
        groups.forEach(group -> subject.addRDN(BCStyle.O, group));
        subject.addRDN(BCStyle.CN, user);
        return new CertificateProfile(subject.build(), List.of(), KeyPurposeId.id_kp_clientAuth);
    }
}
