package io.quarkube.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

class ClusterCertificatesTest {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @TempDir
    Path temp;

    @Test
    void firstStartCreatesEveryFileInAPrivateDirectory() throws Exception {
        Path dir = temp.resolve("data/pki");
        ClusterCertificates certs = ClusterCertificates.ensure(dir, "0.0.0.0");

        for (String name : List.of("ca.crt", "ca.key", "apiserver.crt", "apiserver.key", "admin.crt", "admin.key",
                "admin.p12", "ca.p12", "admin.kubeconfig")) {
            assertTrue(Files.isRegularFile(dir.resolve(name)), name);
        }
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE), Files.getPosixFilePermissions(dir));
        assertEquals(dir.resolve("ca.crt"), certs.caCert());
        assertEquals(dir.resolve("ca.p12"), certs.trustStore());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ca.key", "apiserver.key", "admin.key", "admin.p12", "admin.kubeconfig"})
    void filesHoldingPrivateKeysAreOwnerReadWriteOnly(String name) throws Exception {
        ClusterCertificates.ensure(temp, "127.0.0.1");

        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(temp.resolve(name)));
    }

    @Test
    void theServiceAccountKeyIsCreatedOnceAndKeptPrivate() throws Exception {
        ClusterCertificates certs = ClusterCertificates.ensure(temp, "0.0.0.0");
        java.security.KeyPair created = certs.serviceAccountKey();
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(certs.serviceAccountKeyFile()));

        java.security.KeyPair reread = new ClusterCertificates(temp).serviceAccountKey();
        assertArrayEquals(created.getPublic().getEncoded(), reread.getPublic().getEncoded(), "a restart keeps the key");
        assertEquals(((java.security.interfaces.ECPrivateKey) created.getPrivate()).getS(),
                ((java.security.interfaces.ECPrivateKey) reread.getPrivate()).getS());
    }

    @Test
    void secondStartReusesCaServingAndAdminCertificates() {
        ClusterCertificates first = ClusterCertificates.ensure(temp, "0.0.0.0");
        X509Certificate ca = Pem.readCertificate(first.caCert());
        X509Certificate serving = Pem.readCertificate(first.serverCert());
        X509Certificate admin = Pem.readCertificate(first.adminCert());

        ClusterCertificates second = ClusterCertificates.ensure(temp, "0.0.0.0");

        assertEquals(ca.getSerialNumber(), Pem.readCertificate(second.caCert()).getSerialNumber());
        assertEquals(serving.getSerialNumber(), Pem.readCertificate(second.serverCert()).getSerialNumber());
        assertEquals(admin.getSerialNumber(), Pem.readCertificate(second.adminCert()).getSerialNumber());
    }

    static Stream<Arguments> bindAddresses() {
        return Stream.of(
                Arguments.argumentSet("IPv4 address", "10.1.2.3", List.of(List.of(7, "10.1.2.3"))),
                Arguments.argumentSet("DNS name", "cp.example.com", List.of(List.of(2, "cp.example.com"))),
                Arguments.argumentSet("IPv6 address", "fd00::5", List.of(List.of(7, "fd00:0:0:0:0:0:0:5"))),
                Arguments.argumentSet("wildcard adds nothing", "0.0.0.0", List.of()));
    }

    @ParameterizedTest
    @MethodSource("bindAddresses")
    void servingCertificateNamesDefaultsAndBindAddress(String bindAddress, List<List<?>> extra) throws Exception {
        ClusterCertificates certs = ClusterCertificates.ensure(temp, bindAddress);
        X509Certificate serving = Pem.readCertificate(certs.serverCert());

        List<List<?>> expected = new ArrayList<>(List.of(
                List.of(2, "localhost"), List.of(2, "kubernetes"), List.of(2, "kubernetes.default"),
                List.of(2, "kubernetes.default.svc"), List.of(2, "kubernetes.default.svc.cluster.local"),
                List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1")));
        expected.addAll(extra);
        assertEquals(expected, List.copyOf(serving.getSubjectAlternativeNames()));
        assertEquals("CN=quarkube-apiserver", serving.getSubjectX500Principal().getName());
    }

    @Test
    void changedBindAddressReissuesServingCertificateAndKeepsCa() {
        ClusterCertificates first = ClusterCertificates.ensure(temp, "10.1.2.3");
        X509Certificate ca = Pem.readCertificate(first.caCert());
        X509Certificate serving = Pem.readCertificate(first.serverCert());

        ClusterCertificates second = ClusterCertificates.ensure(temp, "10.9.9.9");
        X509Certificate reissued = Pem.readCertificate(second.serverCert());

        assertEquals(ca.getSerialNumber(), Pem.readCertificate(second.caCert()).getSerialNumber());
        assertNotEquals(serving.getSerialNumber(), reissued.getSerialNumber());
        assertTrue(SubjectAlternativeNames.covers(reissued, List.of("10.9.9.9")));
    }

    static Stream<Arguments> servingAges() {
        return Stream.of(
                Arguments.argumentSet("issued 300 days ago is kept", Duration.ofDays(300), false),
                Arguments.argumentSet("expiring in 29 days is reissued", Duration.ofDays(336), true),
                Arguments.argumentSet("expired is reissued", Duration.ofDays(400), true));
    }

    @ParameterizedTest
    @MethodSource("servingAges")
    void servingCertificateCloseToExpiryIsReissued(Duration age, boolean reissued) {
        Instant now = Instant.now();
        BindAddress bind = BindAddress.of("0.0.0.0");
        ClusterCertificates first = ClusterCertificates.ensure(temp, bind, 6443, now.minus(age));
        X509Certificate before = Pem.readCertificate(first.serverCert());
        X509Certificate ca = Pem.readCertificate(first.caCert());

        ClusterCertificates second = ClusterCertificates.ensure(temp, bind, 6443, now);

        assertEquals(reissued, !before.equals(Pem.readCertificate(second.serverCert())));
        assertEquals(ca, Pem.readCertificate(second.caCert()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"apiserver.crt", "admin.crt"})
    void leafCertificatesVerifyAgainstTheCa(String name) throws Exception {
        ClusterCertificates certs = ClusterCertificates.ensure(temp, "0.0.0.0");
        X509Certificate ca = Pem.readCertificate(certs.caCert());
        X509Certificate leaf = Pem.readCertificate(temp.resolve(name));

        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(List.of(leaf)), parameters);
    }

    @Test
    void caIsASelfSignedTenYearAuthority() throws Exception {
        ClusterCertificates certs = ClusterCertificates.ensure(temp, "0.0.0.0");
        X509Certificate ca = Pem.readCertificate(certs.caCert());

        ca.verify(ca.getPublicKey());
        assertEquals("CN=quarkube-ca", ca.getSubjectX500Principal().getName());
        assertEquals(Integer.MAX_VALUE, ca.getBasicConstraints());
        // digitalSignature, keyCertSign (5) and cRLSign (6)
        boolean[] usage = ca.getKeyUsage();
        assertTrue(usage[0] && usage[5] && usage[6]);
        assertTrue(Duration.between(ca.getNotBefore().toInstant(), ca.getNotAfter().toInstant())
                .compareTo(Duration.ofDays(3650)) >= 0);
    }

    static Stream<Arguments> leaves() {
        return Stream.of(
                Arguments.argumentSet("serving", "apiserver.crt", SERVER_AUTH),
                Arguments.argumentSet("admin client", "admin.crt", CLIENT_AUTH));
    }

    @ParameterizedTest
    @MethodSource("leaves")
    void leafCarriesOnlyItsExtendedKeyUsageAndDigitalSignature(String name, String purpose) throws Exception {
        ClusterCertificates.ensure(temp, "0.0.0.0");
        X509Certificate leaf = Pem.readCertificate(temp.resolve(name));

        assertEquals(List.of(purpose), leaf.getExtendedKeyUsage());
        assertTrue(leaf.getKeyUsage()[0]);
        assertEquals(-1, leaf.getBasicConstraints());
        assertTrue(leaf.getCriticalExtensionOIDs().contains("2.5.29.15"), "keyUsage is critical");
    }

    @Test
    void adminIsInSystemMasters() {
        ClusterCertificates certs = ClusterCertificates.ensure(temp, "0.0.0.0");

        assertEquals(new UserInfo("quarkube-admin", List.of("system:masters")),
                ClientCertificateUser.fromCertificate(Pem.readCertificate(certs.adminCert())).orElseThrow());
        assertEquals(new IssuedCertificate(certs.adminCert(), certs.adminKey(), "quarkube-admin",
                List.of("system:masters")), certs.admin());
    }

    @Test
    void keyStoresLoadWithThePassword() throws Exception {
        ClusterCertificates certs = ClusterCertificates.ensure(temp, "0.0.0.0");
        char[] password = ClusterCertificates.KEYSTORE_PASSWORD.toCharArray();

        KeyStore admin = load(certs.adminKeyStore(), password);
        KeyStore trust = load(certs.trustStore(), password);

        assertEquals(Pem.readCertificate(certs.adminCert()), admin.getCertificateChain("admin")[0]);
        assertEquals(Pem.readCertificate(certs.caCert()), admin.getCertificateChain("admin")[1]);
        assertTrue(admin.isKeyEntry("admin"));
        assertEquals(Pem.readCertificate(certs.caCert()), trust.getCertificate("quarkube-ca"));
        assertTrue(trust.isCertificateEntry("quarkube-ca"));
    }

    @Test
    void keyStoresAreKeptWhileTheirPemFilesAreUnchanged() throws Exception {
        ClusterCertificates first = ClusterCertificates.ensure(temp, "0.0.0.0");
        byte[] admin = Files.readAllBytes(first.adminKeyStore());
        byte[] trust = Files.readAllBytes(first.trustStore());

        ClusterCertificates second = ClusterCertificates.ensure(temp, "0.0.0.0");

        // PKCS#12 files carry fresh salts each time they are written: equal bytes mean not rewritten.
        assertArrayEquals(admin, Files.readAllBytes(second.adminKeyStore()));
        assertArrayEquals(trust, Files.readAllBytes(second.trustStore()));
    }

    @Test
    void adminKeyStoreFollowsAReissuedAdminCertificate() throws Exception {
        ClusterCertificates first = ClusterCertificates.ensure(temp, "0.0.0.0");
        Files.delete(first.adminCert());

        ClusterCertificates second = ClusterCertificates.ensure(temp, "0.0.0.0");

        KeyStore admin = load(second.adminKeyStore(), ClusterCertificates.KEYSTORE_PASSWORD.toCharArray());
        assertEquals(Pem.readCertificate(second.adminCert()), admin.getCertificateChain("admin")[0]);
    }

    static Stream<Arguments> kubeconfigServers() {
        return Stream.of(
                Arguments.argumentSet("wildcard dials loopback", "0.0.0.0", "https://127.0.0.1:7443"),
                Arguments.argumentSet("loopback", "127.0.0.1", "https://127.0.0.1:7443"),
                Arguments.argumentSet("IPv4 address", "10.1.2.3", "https://10.1.2.3:7443"),
                Arguments.argumentSet("IPv6 address in brackets", "fd00::5", "https://[fd00::5]:7443"),
                Arguments.argumentSet("DNS name", "cp.example.com", "https://cp.example.com:7443"));
    }

    @ParameterizedTest
    @MethodSource("kubeconfigServers")
    void adminKubeconfigNamesServerCaAndAdminCredentials(String bindAddress, String server) throws Exception {
        ClusterCertificates certs = ClusterCertificates.ensure(temp, bindAddress, 7443);

        JsonNode config = new YAMLMapper().readTree(certs.adminKubeconfig().toFile());

        assertEquals("Config", config.path("kind").asText());
        assertEquals("quarkube", config.path("current-context").asText());
        JsonNode cluster = config.path("clusters").path(0);
        assertEquals("quarkube", cluster.path("name").asText());
        assertEquals(server, cluster.path("cluster").path("server").asText());
        assertEquals(Files.readString(certs.caCert()), decode(cluster.path("cluster").path("certificate-authority-data")));
        JsonNode user = config.path("users").path(0);
        assertEquals("admin", user.path("name").asText());
        assertEquals(Files.readString(certs.adminCert()), decode(user.path("user").path("client-certificate-data")));
        assertEquals(Files.readString(certs.adminKey()), decode(user.path("user").path("client-key-data")));
        JsonNode context = config.path("contexts").path(0);
        assertEquals("quarkube", context.path("name").asText());
        assertEquals("quarkube", context.path("context").path("cluster").asText());
        assertEquals("admin", context.path("context").path("user").asText());
    }

    @Test
    void nodeClientCertificateIsIssuedOnceAndReissuedWhenGroupsChange() {
        ClusterCertificates certs = ClusterCertificates.ensure(temp, "0.0.0.0");

        IssuedCertificate node = certs.issueClientCertificate("node-a", "system:node:a", List.of("system:nodes"));
        X509Certificate first = Pem.readCertificate(node.cert());
        X509Certificate again = Pem.readCertificate(
                certs.issueClientCertificate("node-a", "system:node:a", List.of("system:nodes")).cert());
        X509Certificate regrouped = Pem.readCertificate(
                certs.issueClientCertificate("node-a", "system:node:a", List.of("system:nodes", "x")).cert());

        assertEquals(temp.resolve("node-a.crt"), node.cert());
        assertEquals(temp.resolve("node-a.key"), node.key());
        assertEquals(new UserInfo("system:node:a", List.of("system:nodes")),
                ClientCertificateUser.fromCertificate(first).orElseThrow());
        assertEquals(first, again);
        assertNotEquals(first, regrouped);
    }

    @Test
    void kubeconfigForANodeNamesItsUserAfterTheCertificateFile() throws Exception {
        ClusterCertificates certs = ClusterCertificates.ensure(temp, "0.0.0.0");
        IssuedCertificate node = certs.issueClientCertificate("node-a", "system:node:a", List.of("system:nodes"));

        Path written = certs.writeKubeconfig(temp.resolve("nodes/a.kubeconfig"), "https://10.0.0.1:6443", node);

        JsonNode config = new YAMLMapper().readTree(written.toFile());
        assertEquals("node-a", config.path("users").path(0).path("name").asText());
        assertEquals("https://10.0.0.1:6443", config.path("clusters").path(0).path("cluster").path("server").asText());
        assertEquals(Files.readString(node.cert()),
                decode(config.path("users").path(0).path("user").path("client-certificate-data")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ca", "apiserver", "../escape", "", ".hidden", "a/b"})
    void clientCertificateFileNamesThatWouldClobberOrEscapeAreRejected(String baseName) {
        ClusterCertificates certs = ClusterCertificates.ensure(temp, "0.0.0.0");

        assertThrows(IllegalArgumentException.class,
                () -> certs.issueClientCertificate(baseName, "someone", List.of()));
    }

    @Test
    void halfACaIsRefusedRatherThanReplaced() throws Exception {
        ClusterCertificates certs = ClusterCertificates.ensure(temp, "0.0.0.0");
        Files.delete(certs.caKey());

        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> ClusterCertificates.ensure(temp, "0.0.0.0"));
        assertTrue(error.getMessage().contains("ca.key"), error.getMessage());
    }

    @Test
    void mismatchedServingKeyIsReplaced() throws Exception {
        ClusterCertificates certs = ClusterCertificates.ensure(temp, "0.0.0.0");
        Files.copy(certs.adminKey(), certs.serverKey(), StandardCopyOption.REPLACE_EXISTING);

        ClusterCertificates.ensure(temp, "0.0.0.0");

        assertTrue(CertificateAuthority.matches(Pem.readCertificate(certs.serverCert()), Pem.readKey(certs.serverKey())));
    }

    @Test
    void leavesOfAReplacedCaAreReissuedByTheNewOne() throws Exception {
        ClusterCertificates certs = ClusterCertificates.ensure(temp, "0.0.0.0");
        X509Certificate serving = Pem.readCertificate(certs.serverCert());
        Files.delete(certs.caCert());
        Files.delete(certs.caKey());

        ClusterCertificates.ensure(temp, "0.0.0.0");

        // The new CA has the old one's name; only its key (and key identifier) differs.
        X509Certificate ca = Pem.readCertificate(certs.caCert());
        X509Certificate reissued = Pem.readCertificate(certs.serverCert());
        assertEquals(serving.getIssuerX500Principal(), reissued.getIssuerX500Principal());
        assertNotEquals(serving.getSerialNumber(), reissued.getSerialNumber());
        reissued.verify(ca.getPublicKey());
        Pem.readCertificate(certs.adminCert()).verify(ca.getPublicKey());
    }

    @Test
    void servingKeyInAFileWithoutItsPublicKeyIsStillRecognised() throws Exception {
        ClusterCertificates certs = ClusterCertificates.ensure(temp, "0.0.0.0");
        X509Certificate serving = Pem.readCertificate(certs.serverCert());
        byte[] pkcs8 = Pem.readKey(certs.serverKey()).getEncoded();
        Files.writeString(certs.serverKey(), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8) + "\n-----END PRIVATE KEY-----\n");
        assertTrue(Pem.readKeyFile(certs.serverKey()).publicKey().isEmpty(), "a PKCS#8 key alone");

        ClusterCertificates.ensure(temp, "0.0.0.0");

        assertEquals(serving, Pem.readCertificate(certs.serverCert()));
    }

    static Stream<Arguments> servingNames() {
        return Stream.of(
                Arguments.argumentSet("localhost", "localhost"),
                Arguments.argumentSet("loopback IPv4", "127.0.0.1"),
                Arguments.argumentSet("in-cluster service name", "kubernetes.default.svc"),
                Arguments.argumentSet("bind address", "10.1.2.3"));
    }

    @ParameterizedTest
    @MethodSource("servingNames")
    void javaTlsAcceptsServerAndFabric8KubeconfigClient(String serverName) throws Exception {
        ClusterCertificates certs = ClusterCertificates.ensure(temp, "10.1.2.3");
        javax.net.ssl.SSLContext client = io.fabric8.kubernetes.client.internal.SSLUtils.sslContext(
                io.fabric8.kubernetes.client.Config.fromKubeconfig(Files.readString(certs.adminKubeconfig())));

        var clientChain = InMemoryTlsHandshake.run(client, TlsContexts.server(certs), serverName);

        assertEquals(Pem.readCertificate(certs.adminCert()), clientChain.get(0));
    }

    @Test
    void javaTlsRejectsANameTheServingCertificateLacks() throws Exception {
        ClusterCertificates certs = ClusterCertificates.ensure(temp, "0.0.0.0");

        assertThrows(javax.net.ssl.SSLHandshakeException.class, () -> InMemoryTlsHandshake.run(
                TlsContexts.client(certs), TlsContexts.server(certs), "10.1.2.3"));
    }

    private static KeyStore load(Path file, char[] password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }

    private static String decode(JsonNode base64) {
        return new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.US_ASCII);
    }
}
