package io.quarkube.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/**
 * PKCS#12 copies of the PEM material for Java clients (RestAssured, the Fabric8 client), which load
 * key stores more readily than PEM files.
 */
final class KeyStores {

    static final String CA_ALIAS = "quarkube-ca";

    private KeyStores() {
    }

    /** A key store holding the client key with its chain up to the CA. */
    static void writeKeyStore(Path target, String alias, PrivateKey key, X509Certificate cert, X509Certificate ca,
            char[] password) {
        write(target, password, store -> store.setKeyEntry(alias, key, password, new Certificate[] {cert, ca}));
    }

    /** A trust store holding only the CA certificate. */
    static void writeTrustStore(Path target, X509Certificate ca, char[] password) {
        write(target, password, store -> store.setCertificateEntry(CA_ALIAS, ca));
    }

    private interface Entries {
        void addTo(KeyStore store) throws GeneralSecurityException;
    }

    private static void write(Path target, char[] password, Entries entries) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            entries.addTo(store);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            store.store(bytes, password);
            SecureFiles.write(target, bytes.toByteArray(), SecureFiles.PRIVATE);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write " + target, e);
        }
    }
}
