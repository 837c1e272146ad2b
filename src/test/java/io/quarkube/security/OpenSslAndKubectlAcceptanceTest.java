package io.quarkube.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the files with the tools real clients are built on: OpenSSL (Python's ssl, curl) and kubectl
 * (Go's crypto/tls and client-go). Each test is skipped only when its command is not installed.
 */
class OpenSslAndKubectlAcceptanceTest {

    @TempDir
    Path temp;

    record Run(int exitCode, String output) {
    }

    @Test
    void opensslVerifiesServingAndAdminChainsWhenOpensslIsInstalled() throws Exception {
        assumeTrue(installed("openssl"), "openssl command not installed: skipping the OpenSSL verification");
        ClusterCertificates certs = ClusterCertificates.ensure(temp, "10.1.2.3");
        String ca = certs.caCert().toString();

        Run plain = run("openssl", "verify", "-CAfile", ca, certs.serverCert().toString());
        Run serving = run("openssl", "verify", "-CAfile", ca, "-purpose", "sslserver", "-verify_ip", "10.1.2.3",
                certs.serverCert().toString());
        Run byName = run("openssl", "verify", "-CAfile", ca, "-purpose", "sslserver",
                "-verify_hostname", "kubernetes.default.svc", certs.serverCert().toString());
        Run admin = run("openssl", "verify", "-CAfile", ca, "-purpose", "sslclient", certs.adminCert().toString());

        for (Run result : List.of(plain, serving, byName, admin)) {
            assertEquals(0, result.exitCode(), result.output());
            assertTrue(result.output().contains(": OK"), result.output());
        }
    }

    @Test
    void opensslReadsAdminKeyStoreWithThePasswordWhenOpensslIsInstalled() throws Exception {
        assumeTrue(installed("openssl"), "openssl command not installed: skipping the PKCS#12 check");
        ClusterCertificates certs = ClusterCertificates.ensure(temp, "0.0.0.0");

        Run result = run("openssl", "pkcs12", "-in", certs.adminKeyStore().toString(),
                "-passin", "pass:" + ClusterCertificates.KEYSTORE_PASSWORD, "-nokeys");

        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("subject=O = system:masters, CN = quarkube-admin"), result.output());
        assertTrue(result.output().contains("subject=CN = quarkube-ca"), result.output());
    }

    @Test
    void kubectlLoadsAdminKubeconfigCredentialsWhenKubectlIsInstalled() throws Exception {
        assumeTrue(installed("kubectl"), "kubectl command not installed: skipping the client-go kubeconfig check");
        ClusterCertificates certs = ClusterCertificates.ensure(temp, "0.0.0.0", 7443);
        String kubeconfig = certs.adminKubeconfig().toString();

        Run server = run("kubectl", "--kubeconfig", kubeconfig, "config", "view", "--raw",
                "-o", "jsonpath={.clusters[0].cluster.server}");
        // Nothing listens on port 1: getting as far as dialling proves client-go parsed the CA, cert and key.
        Run dial = run("kubectl", "--kubeconfig", kubeconfig, "--server", "https://127.0.0.1:1",
                "get", "--raw", "/version", "--request-timeout=5s");

        assertEquals("https://127.0.0.1:7443", server.output().strip());
        assertTrue(dial.output().contains("refused"), dial.output());
        assertFalse(dial.output().contains("unable to load"), dial.output());
    }

    private static boolean installed(String command) {
        try {
            return run(command, "version").exitCode() >= 0;
        } catch (IOException | InterruptedException notInstalled) {
            return false;
        }
    }

    private static Run run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Run(-1, output);
        }
        return new Run(process.exitValue(), output);
    }
}
