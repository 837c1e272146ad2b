package io.quarkube.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.DERUTF8String;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClientCertificateUserTest {

    private static final CertificateAuthority CA = CertificateAuthority.create(Instant.now());

    static Stream<Arguments> subjects() {
        return Stream.of(
                Arguments.argumentSet("admin in system:masters",
                        subject().addRDN(BCStyle.O, "system:masters").addRDN(BCStyle.CN, "quarkube-admin").build(),
                        Optional.of(new UserInfo("quarkube-admin", List.of("system:masters")))),
                Arguments.argumentSet("node with its group",
                        subject().addRDN(BCStyle.O, "system:nodes").addRDN(BCStyle.CN, "system:node:a").build(),
                        Optional.of(new UserInfo("system:node:a", List.of("system:nodes")))),
                Arguments.argumentSet("several organizations keep their order",
                        subject().addRDN(BCStyle.O, "b").addRDN(BCStyle.O, "a").addRDN(BCStyle.CN, "jane").build(),
                        Optional.of(new UserInfo("jane", List.of("b", "a")))),
                Arguments.argumentSet("organizations in one multi-valued RDN, as Go writes them",
                        subject().addMultiValuedRDN(new AttributeTypeAndValue[] {
                                new AttributeTypeAndValue(BCStyle.O, new DERUTF8String("x")),
                                new AttributeTypeAndValue(BCStyle.O, new DERUTF8String("y"))})
                                .addRDN(BCStyle.CN, "joe").build(),
                        Optional.of(new UserInfo("joe", List.of("x", "y")))),
                Arguments.argumentSet("no organization means no groups",
                        subject().addRDN(BCStyle.CN, "solo").build(),
                        Optional.of(new UserInfo("solo", List.of()))),
                Arguments.argumentSet("characters RFC 4514 would escape stay as they are",
                        subject().addRDN(BCStyle.O, "team, with comma").addRDN(BCStyle.CN, "a+b=c").build(),
                        Optional.of(new UserInfo("a+b=c", List.of("team, with comma")))),
                Arguments.argumentSet("organizational units are not groups",
                        subject().addRDN(BCStyle.OU, "unit").addRDN(BCStyle.CN, "u").build(),
                        Optional.of(new UserInfo("u", List.of()))),
                Arguments.argumentSet("no common name is no user",
                        subject().addRDN(BCStyle.O, "system:masters").build(),
                        Optional.empty()));
    }

    @ParameterizedTest
    @MethodSource("subjects")
    void commonNameIsTheUserAndOrganizationsAreTheGroups(X500Name subject, Optional<UserInfo> expected) {
        assertEquals(expected, ClientCertificateUser.fromCertificate(certificateFor(subject)));
    }

    @Test
    void chainIsReadFromItsFirstCertificate() {
        X509Certificate leaf = certificateFor(subject().addRDN(BCStyle.O, "g").addRDN(BCStyle.CN, "u").build());

        assertEquals(Optional.of(new UserInfo("u", List.of("g"))),
                ClientCertificateUser.fromChain(List.of(leaf, CA.certificate())));
        assertEquals(Optional.empty(), ClientCertificateUser.fromChain(List.of()));
    }

    private static X500NameBuilder subject() {
        return new X500NameBuilder(BCStyle.INSTANCE);
    }

    private static X509Certificate certificateFor(X500Name subject) {
        CertificateProfile profile = new CertificateProfile(subject, List.of(), KeyPurposeId.id_kp_clientAuth);
        return CA.issue(profile, CertificateAuthority.generateKeyPair().getPublic(), Instant.now());
    }
}
