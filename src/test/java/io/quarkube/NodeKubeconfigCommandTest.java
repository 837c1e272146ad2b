package io.quarkube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.quarkube.security.ClientCertificateUser;
import io.quarkube.security.ClusterCertificates;
import io.quarkube.security.UserInfo;

class NodeKubeconfigCommandTest {

    @TempDir
    Path temp;

    @Test
    void writesAKubeconfigForTheNodeUserSignedByTheClusterCa() throws Exception {
        ClusterCertificates.ensure(temp, "127.0.0.1", 7443);
        Path out = temp.resolve("agents/worker-1.kubeconfig");

        Path written = NodeKubeconfigCommand.run(List.of("--data-dir", temp.toString(), "--node", "worker-1",
                "--out", out.toString(), "--server", "https://127.0.0.1:7443"));

        assertEquals(out, written);
        JsonNode config = new YAMLMapper().readTree(out.toFile());
        assertEquals("https://127.0.0.1:7443", config.path("clusters").path(0).path("cluster").path("server").asText());
        X509Certificate cert = certificate(config.path("users").path(0).path("user").path("client-certificate-data"));
        assertEquals(new UserInfo("system:node:worker-1", List.of("system:nodes")),
                ClientCertificateUser.fromCertificate(cert).orElseThrow());
        X509Certificate ca = certificate(config.path("clusters").path(0).path("cluster").path("certificate-authority-data"));
        cert.verify(ca.getPublicKey());
    }

    @Test
    void serverDefaultsToTheLoopbackOnPort6443() throws Exception {
        ClusterCertificates.ensure(temp, "127.0.0.1");
        Path out = temp.resolve("n.kubeconfig");

        NodeKubeconfigCommand.run(List.of("--data-dir", temp.toString(), "--node", "n", "--out", out.toString()));

        assertEquals("https://127.0.0.1:6443",
                new YAMLMapper().readTree(out.toFile()).path("clusters").path(0).path("cluster").path("server").asText());
    }

    @Test
    void refusesADataDirectoryWithoutClusterCa() {
        Path out = temp.resolve("n.kubeconfig");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> NodeKubeconfigCommand.run(
                List.of("--data-dir", temp.resolve("empty").toString(), "--node", "n", "--out", out.toString())));

        assertTrue(e.getMessage().contains("no cluster CA"), e.getMessage());
        assertTrue(Files.notExists(out));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--node n --out f", "--data-dir d --out f", "--data-dir d --node n", "--data-dir", "--bogus x"})
    void usageErrorsAreReported(String args) {
        assertThrows(IllegalArgumentException.class, () -> NodeKubeconfigCommand.run(List.of(args.split(" "))));
    }

    private static X509Certificate certificate(JsonNode base64) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64.asText())));
    }
}
