package io.quarkube.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.jboss.logging.Logger;

/**
 * The cluster's TLS material in the control plane's data directory: the cluster CA, the API server's
 * serving certificate, the admin client certificate with its kubeconfig, and PKCS#12 copies for Java
 * clients. Everything is created on first start and reused afterwards; a leaf is reissued when it is
 * missing, no longer signed by the CA, expires within {@link #RENEW_BEFORE}, or no longer fits
 * (serving names, client user and groups).
 *
 * @param dir the directory holding the files
 */
public record ClusterCertificates(Path dir) {

    public static final String KEYSTORE_PASSWORD = "quarkube";
    public static final int DEFAULT_PORT = 6443;
    public static final String ADMIN_USER = "quarkube-admin";
    /** The group every node's kubelet credentials carry, as kubeadm's node bootstrap issues them. */
    public static final String NODES_GROUP = "system:nodes";
    /** A node's user name is this prefix and the node name (what the Node authorizer expects). */
    public static final String NODE_USER_PREFIX = "system:node:";
    /** The group kube-apiserver's default RBAC binds to cluster-admin. */
    public static final String ADMIN_GROUP = "system:masters";
    static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private static final Logger LOG = Logger.getLogger(ClusterCertificates.class);
    private static final String ADMIN_BASE_NAME = "admin";
    private static final Pattern BASE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    // Client certificates must not overwrite the CA or serving files.
    private static final Set<String> RESERVED_BASE_NAMES = Set.of("ca", "apiserver", "sa");

    /** As {@link #ensure(Path, String, int)} on the default port 6443. */
    public static ClusterCertificates ensure(Path dir, String bindAddress) {
        return ensure(dir, bindAddress, DEFAULT_PORT);
    }

    /**
     * Creates missing material in dir (mkdirs 0700) or reuses what is there; regenerates the serving
     * certificate when it does not cover bindAddress or expires within 30 days; rewrites the PKCS#12
     * stores and admin.kubeconfig (server https://HOST:port). Blocking; called once at start-up
     * before the HTTP server.
     */
    public static ClusterCertificates ensure(Path dir, String bindAddress, int port) {
        return ensure(dir, BindAddress.of(bindAddress), port, Instant.now());
    }

    static ClusterCertificates ensure(Path dir, BindAddress bind, int port, Instant now) {
        SecureFiles.createPrivateDirectory(dir);
        ClusterCertificates certificates = new ClusterCertificates(dir);
        CertificateAuthority ca = certificates.ensureAuthority(now);
        certificates.ensureServing(ca, bind, now);
        IssuedCertificate admin = certificates.issueClientCertificate(
                ca, ADMIN_BASE_NAME, ADMIN_USER, List.of(ADMIN_GROUP), now);
        char[] password = KEYSTORE_PASSWORD.toCharArray();
        // Writing PKCS#12 derives keys from the password (slow on a cold JVM): only when the PEM changed.
        if (!isCopyOf(certificates.adminKeyStore(), admin.cert(), admin.key(), certificates.caCert())) {
            KeyStores.writeKeyStore(certificates.adminKeyStore(), ADMIN_BASE_NAME,
                    Pem.readKey(admin.key()), Pem.readCertificate(admin.cert()), ca.certificate(), password);
        }
        if (!isCopyOf(certificates.trustStore(), certificates.caCert())) {
            KeyStores.writeTrustStore(certificates.trustStore(), ca.certificate(), password);
        }
        certificates.writeKubeconfig(certificates.adminKubeconfig(), bind.serverUrl(port), admin);
        return certificates;
    }

    /** Whether copy exists and was written after every one of the files it was made from. */
    private static boolean isCopyOf(Path copy, Path... originals) {
        try {
            if (!Files.exists(copy)) {
                return false;
            }
            FileTime written = Files.getLastModifiedTime(copy);
            for (Path original : originals) {
                if (Files.getLastModifiedTime(original).compareTo(written) > 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public Path caCert() {
        return dir.resolve("ca.crt");
    }

    public Path caKey() {
        return dir.resolve("ca.key");
    }

    public Path serverCert() {
        return dir.resolve("apiserver.crt");
    }

    public Path serverKey() {
        return dir.resolve("apiserver.key");
    }

    public Path adminCert() {
        return dir.resolve(ADMIN_BASE_NAME + ".crt");
    }

    public Path adminKey() {
        return dir.resolve(ADMIN_BASE_NAME + ".key");
    }

    /** PKCS#12 with the admin key and its chain, password {@link #KEYSTORE_PASSWORD}. */
    public Path adminKeyStore() {
        return dir.resolve(ADMIN_BASE_NAME + ".p12");
    }

    /** PKCS#12 with the CA certificate as a trusted entry, password {@link #KEYSTORE_PASSWORD}. */
    public Path trustStore() {
        return dir.resolve("ca.p12");
    }

    public Path adminKubeconfig() {
        return dir.resolve(ADMIN_BASE_NAME + ".kubeconfig");
    }

    /** The key that signs service account tokens, as kubeadm's sa.key. */
    public Path serviceAccountKeyFile() {
        return dir.resolve("sa.key");
    }

    /**
     * The service account signing key, created on first use. Replicas sharing this directory share
     * the key, so a token one of them issued is good on all of them.
     */
    public KeyPair serviceAccountKey() {
        Path file = serviceAccountKeyFile();
        if (!Files.exists(file)) {
            KeyPair generated = CertificateAuthority.generateKeyPair();
            if (Pem.writeKeyIfAbsent(file, generated.getPrivate())) {
                LOG.infof("Created service account signing key %s", file);
                return generated;
            }
            // another replica created it meanwhile: use theirs
        }
        Pem.KeyFile key = Pem.readKeyFile(file);
        return new KeyPair(key.publicKey().orElseThrow(() -> new IllegalStateException(file
                + " holds no public key beside the private one; write it as an \"EC PRIVATE KEY\" or \"RSA PRIVATE KEY\" PEM")),
                key.privateKey());
    }

    public IssuedCertificate admin() {
        return new IssuedCertificate(adminCert(), adminKey(), ADMIN_USER, List.of(ADMIN_GROUP));
    }

    /** Issues (or reuses, if present and valid) a client certificate for user/groups, files NAME.crt/NAME.key. */
    public IssuedCertificate issueClientCertificate(String fileBaseName, String user, List<String> groups) {
        return issueClientCertificate(CertificateAuthority.load(caCert(), caKey()), fileBaseName, user, groups,
                Instant.now());
    }

    /**
     * Issues (or reuses) the client certificate of node nodeName (user system:node:NAME, group
     * system:nodes; files node-NAME.crt/.key) and writes a kubeconfig for it to target. The CA must
     * exist already: a node credential from a fresh CA would fit no running control plane.
     */
    public Path writeNodeKubeconfig(String nodeName, String serverUrl, Path target) {
        if (!Files.exists(caCert()) || !Files.exists(caKey())) {
            throw new IllegalStateException("no cluster CA in " + dir + "; start the control plane with this data directory first");
        }
        IssuedCertificate node = issueClientCertificate(
                "node-" + nodeName, NODE_USER_PREFIX + nodeName, List.of(NODES_GROUP));
        return writeKubeconfig(target, serverUrl, node);
    }

    /** Writes a kubeconfig for the given certificate and server URL to target (mode 0600). */
    public Path writeKubeconfig(Path target, String serverUrl, IssuedCertificate client) {
        try {
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Kubeconfig.write(target, Kubeconfig.build(serverUrl,
                    Files.readString(caCert(), StandardCharsets.US_ASCII), client.baseName(),
                    Files.readString(client.cert(), StandardCharsets.US_ASCII),
                    Files.readString(client.key(), StandardCharsets.US_ASCII)));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write kubeconfig " + target, e);
        }
    }

    IssuedCertificate issueClientCertificate(
            CertificateAuthority ca, String fileBaseName, String user, List<String> groups, Instant now) {
        if (!BASE_NAME.matcher(fileBaseName).matches() || RESERVED_BASE_NAMES.contains(fileBaseName)) {
            throw new IllegalArgumentException("not a usable certificate file name: " + fileBaseName);
        }
        IssuedCertificate issued = new IssuedCertificate(
                dir.resolve(fileBaseName + ".crt"), dir.resolve(fileBaseName + ".key"), user, groups);
        UserInfo wanted = new UserInfo(user, groups);
        Predicate<X509Certificate> fits = cert -> hasPurpose(cert, KeyPurposeId.id_kp_clientAuth)
                && ClientCertificateUser.fromCertificate(cert).filter(wanted::equals).isPresent();
        if (!reusable(issued.cert(), issued.key(), ca, now, fits)) {
            LOG.infof("Issuing client certificate %s for user %s, groups %s", issued.cert(), user, groups);
            issueLeaf(ca, CertificateProfile.client(user, groups), issued.cert(), issued.key(), now);
        }
        return issued;
    }

    private CertificateAuthority ensureAuthority(Instant now) {
        boolean hasCert = Files.exists(caCert());
        boolean hasKey = Files.exists(caKey());
        if (hasCert && hasKey) {
            return CertificateAuthority.load(caCert(), caKey());
        }
        if (hasCert || hasKey) {
            // Replacing half a CA would silently invalidate every kubeconfig issued from it.
            throw new IllegalStateException("found only one of " + caCert() + " and " + caKey()
                    + "; restore the other or remove both to create a new cluster CA");
        }
        LOG.infof("Creating cluster CA in %s", dir);
        CertificateAuthority ca = CertificateAuthority.create(now);
        Pem.writeKey(caKey(), ca.key());
        Pem.writeCertificate(caCert(), ca.certificate());
        return ca;
    }

    private void ensureServing(CertificateAuthority ca, BindAddress bind, Instant now) {
        List<String> names = new ArrayList<>(SubjectAlternativeNames.SERVING_DEFAULTS);
        bind.servingName().ifPresent(names::add);
        Predicate<X509Certificate> fits = cert -> hasPurpose(cert, KeyPurposeId.id_kp_serverAuth)
                && SubjectAlternativeNames.covers(cert, names);
        if (!reusable(serverCert(), serverKey(), ca, now, fits)) {
            LOG.infof("Issuing API server certificate for %s", names);
            issueLeaf(ca, CertificateProfile.serving(names), serverCert(), serverKey(), now);
        }
    }

    /** Whether an existing certificate and key pair can stay: readable, matching, from this CA, fresh, fitting. */
    private static boolean reusable(
            Path certFile, Path keyFile, CertificateAuthority ca, Instant now, Predicate<X509Certificate> fits) {
        if (!Files.exists(certFile) || !Files.exists(keyFile)) {
            return false;
        }
        try {
            X509Certificate cert = Pem.readCertificate(certFile);
            Pem.KeyFile key = Pem.readKeyFile(keyFile);
            return ca.issuedAndValid(cert, now, RENEW_BEFORE) && CertificateAuthority.matches(cert, key)
                    && fits.test(cert);
        } catch (RuntimeException unreadable) {
            LOG.warnf("Replacing unreadable %s or %s: %s", certFile, keyFile, unreadable.getMessage());
            return false;
        }
    }

    // Key first: a crash before the certificate is written leaves a mismatched pair, which the next start replaces.
    private static void issueLeaf(
            CertificateAuthority ca, CertificateProfile profile, Path certFile, Path keyFile, Instant now) {
        KeyPair keys = CertificateAuthority.generateKeyPair();
        X509Certificate cert = ca.issue(profile, keys.getPublic(), now);
        Pem.writeKey(keyFile, keys.getPrivate());
        Pem.writeCertificate(certFile, cert);
    }

    private static boolean hasPurpose(X509Certificate cert, KeyPurposeId purpose) {
        try {
            List<String> purposes = cert.getExtendedKeyUsage();
            return purposes != null && purposes.contains(purpose.getId());
        } catch (CertificateParsingException e) {
            return false;
        }
    }
}
