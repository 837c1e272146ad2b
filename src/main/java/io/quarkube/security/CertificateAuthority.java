package io.quarkube.security;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster CA: a self-signed ECDSA P-256 certificate and its key, signing the API server's serving
 * certificate and client certificates.
 *
 * <p>ECDSA P-256 rather than RSA 2048: kubelet already requests P-256 client certificates from
 * kube-apiserver, so Go, Java and Python Kubernetes clients all accept it; keys take microseconds
 * instead of up to a second to generate, which matters when every node agent gets its own.
 * Following Go's x509 rules, ECDSA leaves carry digitalSignature but not keyEncipherment.
 */
record CertificateAuthority(X509Certificate certificate, PrivateKey key) {

    static final String COMMON_NAME = "quarkube-ca";
    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    static final Duration LEAF_VALIDITY = Duration.ofDays(365);
    /** Back-dating that tolerates clocks of other machines running slightly behind. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Generates keys whose encoding carries the curve and public point inside the SEC1 structure, which Go
     * needs when reading an "EC PRIVATE KEY"; the JDK's own EC keys leave both out. Not registered globally.
     * Created on first use only: building it loads hundreds of classes, and a restart generates no keys.
     */
    private static final class KeyProvider {
        static final Provider INSTANCE = new BouncyCastleProvider();
    }

    static CertificateAuthority create(Instant now) {
        KeyPair keys = generateKeyPair();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, COMMON_NAME).build();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(subject, subject, keys.getPublic(), now, CA_VALIDITY)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(sign(builder, keys.getPrivate()), keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create the cluster CA", e);
        }
    }

    static CertificateAuthority load(Path cert, Path key) {
        Pem.KeyFile keyFile = Pem.readKeyFile(key);
        CertificateAuthority ca = new CertificateAuthority(Pem.readCertificate(cert), keyFile.privateKey());
        if (!matches(ca.certificate, keyFile)) {
            throw new IllegalStateException(key + " is not the private key of " + cert);
        }
        return ca;
    }

    static KeyPair generateKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", KeyProvider.INSTANCE);
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no ECDSA P-256 support in this JVM", e);
        }
    }

    /** Signs a one-year leaf certificate for the public key. */
    X509Certificate issue(CertificateProfile profile, PublicKey subjectKey, Instant now) {
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X500Name issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder builder = builder(issuer, profile.subject(), subjectKey, now, LEAF_VALIDITY)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(profile.purpose()))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(subjectKey))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(certificate));
            if (!profile.alternativeNames().isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        SubjectAlternativeNames.of(profile.alternativeNames()));
            }
            return sign(builder, key);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + profile.subject(), e);
        }
    }

    /** Whether this CA issued the certificate and it stays valid for at least the given margin. */
    boolean issuedAndValid(X509Certificate leaf, Instant now, Duration margin) {
        try {
            leaf.checkValidity(Date.from(now));
            leaf.checkValidity(Date.from(now.plus(margin)));
            return leaf.getIssuerX500Principal().equals(certificate.getSubjectX500Principal()) && issued(leaf);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * Whether this CA issued the certificate: by the key identifier it names its issuer's key with (a
     * hash of the key, so a CA with a new key has a new one), else by its signature. The check runs on
     * every start, and on a cold JVM an ECDSA verification costs tens of milliseconds; clients still
     * verify the signature in every handshake.
     */
    private boolean issued(X509Certificate leaf) throws GeneralSecurityException {
        Optional<byte[]> authorityKey = extension(leaf, Extension.authorityKeyIdentifier)
                .map(value -> AuthorityKeyIdentifier.getInstance(value).getKeyIdentifier());
        Optional<byte[]> ownKey = extension(certificate, Extension.subjectKeyIdentifier)
                .map(value -> SubjectKeyIdentifier.getInstance(value).getKeyIdentifier());
        if (authorityKey.isPresent() && ownKey.isPresent()) {
            return Arrays.equals(authorityKey.get(), ownKey.get());
        }
        leaf.verify(certificate.getPublicKey());
        return true;
    }

    private static Optional<ASN1Primitive> extension(X509Certificate cert, ASN1ObjectIdentifier oid) {
        byte[] value = cert.getExtensionValue(oid.getId());
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(JcaX509ExtensionUtils.parseExtensionValue(value));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the key file holds the certificate's key: by the public key the file carries beside the
     * private one (no cryptography, as {@link #issued} avoids it), else by a signature.
     */
    static boolean matches(X509Certificate cert, Pem.KeyFile key) {
        return key.publicKey()
                .map(publicKey -> Arrays.equals(publicKey.getEncoded(), cert.getPublicKey().getEncoded()))
                .orElseGet(() -> matches(cert, key.privateKey()));
    }

    /** Whether the key belongs to the certificate, proven by a signature the certificate's key verifies. */
    static boolean matches(X509Certificate cert, PrivateKey key) {
        try {
            byte[] challenge = new byte[32];
            RANDOM.nextBytes(challenge);
            String algorithm = signatureAlgorithm(key);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static X509v3CertificateBuilder builder(
            X500Name issuer, X500Name subject, PublicKey subjectKey, Instant now, Duration validity) {
        // Positive 127-bit random serial: unique without bookkeeping, within RFC 5280's 20 octets.
        BigInteger serial = new BigInteger(127, RANDOM).add(BigInteger.ONE);
        return new JcaX509v3CertificateBuilder(issuer, serial,
                Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(validity)), subject, subjectKey);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
            throws GeneralSecurityException {
        String algorithm = signatureAlgorithm(signingKey);
        try {
            ContentSigner signer = new JcaContentSignerBuilder(algorithm).build(signingKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign with " + algorithm, e);
        }
    }

    // quarkube creates EC keys; an operator-supplied CA may well be RSA, as kubeadm makes by default.
    private static String signatureAlgorithm(PrivateKey key) {
        return key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    }
}
