package io.quarkube.security;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * PEM encoding of certificates and private keys. EC keys are written in SEC1 form ("EC PRIVATE KEY"),
 * as Kubernetes writes them: the Fabric8 client recognises an EC key only by that header and treats
 * a PKCS#8 "PRIVATE KEY" as RSA. Go, Python's ssl, OpenSSL and Vert.x read SEC1 too. Reading also
 * accepts PKCS#8 and PKCS#1 keys an operator may supply.
 */
final class Pem {

    private Pem() {
    }

    static String encode(X509Certificate cert) {
        return write(cert);
    }

    static String encode(PrivateKey key) {
        return write(key);
    }

    static void writeCertificate(Path target, X509Certificate cert) {
        SecureFiles.write(target, encode(cert).getBytes(StandardCharsets.US_ASCII), SecureFiles.PUBLIC);
    }

    static void writeKey(Path target, PrivateKey key) {
        SecureFiles.write(target, encode(key).getBytes(StandardCharsets.US_ASCII), SecureFiles.PRIVATE);
    }

    /** As {@link #writeKey}, unless the file exists: see {@link SecureFiles#writeIfAbsent}. */
    static boolean writeKeyIfAbsent(Path target, PrivateKey key) {
        return SecureFiles.writeIfAbsent(target, encode(key).getBytes(StandardCharsets.US_ASCII), SecureFiles.PRIVATE);
    }

    static X509Certificate readCertificate(Path file) {
        Object pem = readFirstObject(file);
        if (!(pem instanceof X509CertificateHolder holder)) {
            throw new IllegalStateException(file + " holds no PEM certificate");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new IllegalStateException(file + " holds an unreadable certificate", e);
        }
    }

    static PrivateKey readKey(Path file) {
        return readKeyFile(file).privateKey();
    }

    /**
     * A private key file. SEC1 ("EC PRIVATE KEY") and PKCS#1 ("RSA PRIVATE KEY") files carry the
     * public key beside the private one; PKCS#8 files ("PRIVATE KEY") need not.
     *
     * @param publicKey the public key the file carries, if it does
     */
    record KeyFile(PrivateKey privateKey, Optional<PublicKey> publicKey) {
    }

    static KeyFile readKeyFile(Path file) {
        Object pem = readFirstObject(file);
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (pem instanceof PrivateKeyInfo info) {
                return new KeyFile(converter.getPrivateKey(info), Optional.empty());
            }
            if (pem instanceof PEMKeyPair pair) {
                Optional<PublicKey> publicKey = pair.getPublicKeyInfo() == null
                        ? Optional.empty() : Optional.of(converter.getPublicKey(pair.getPublicKeyInfo()));
                return new KeyFile(converter.getPrivateKey(pair.getPrivateKeyInfo()), publicKey);
            }
        } catch (IOException e) {
            throw new IllegalStateException(file + " holds an unreadable private key", e);
        }
        throw new IllegalStateException(file + " holds no unencrypted PEM private key");
    }

    private static Object readFirstObject(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            return parser.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String write(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
