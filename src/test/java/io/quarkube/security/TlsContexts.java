package io.quarkube.security;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** JSSE contexts built from the cluster files the way the API server and Java test clients use them. */
final class TlsContexts {

    private static final char[] PASSWORD = ClusterCertificates.KEYSTORE_PASSWORD.toCharArray();

    private TlsContexts() {
    }

    /** The API server: apiserver.crt/apiserver.key from PEM, client certificates checked against ca.crt. */
    static SSLContext server(ClusterCertificates certs) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("apiserver", Pem.readKey(certs.serverKey()), PASSWORD,
                new Certificate[] {Pem.readCertificate(certs.serverCert())});
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", Pem.readCertificate(certs.caCert()));
        return context(keys, trust);
    }

    /** A Java client as RestAssured would be set up: admin.p12 for its identity, ca.p12 as trust store. */
    static SSLContext client(ClusterCertificates certs) throws Exception {
        return context(load(certs.adminKeyStore()), load(certs.trustStore()));
    }

    private static SSLContext context(KeyStore keys, KeyStore trust) throws Exception {
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }
}
