package io.quarkube.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * A kubeconfig with one cluster, one user authenticated by a client certificate and one context
 * joining them, all data inline so the file is usable on its own.
 */
final class Kubeconfig {

    static final String CLUSTER_NAME = "quarkube";
    static final String CONTEXT_NAME = "quarkube";

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    private Kubeconfig() {
    }

    static ObjectNode build(String serverUrl, String caPem, String userName, String certPem, String keyPem) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode config = json.objectNode().put("apiVersion", "v1").put("kind", "Config");
        config.putArray("clusters").addObject()
                .put("name", CLUSTER_NAME)
                .putObject("cluster")
                .put("server", serverUrl)
                .put("certificate-authority-data", base64(caPem));
        config.putArray("users").addObject()
                .put("name", userName)
                .putObject("user")
                .put("client-certificate-data", base64(certPem))
                .put("client-key-data", base64(keyPem));
        config.putArray("contexts").addObject()
                .put("name", CONTEXT_NAME)
                .putObject("context")
                .put("cluster", CLUSTER_NAME)
                .put("user", userName);
        config.put("current-context", CONTEXT_NAME);
        config.putObject("preferences");
        return config;
    }

    /** Writes the kubeconfig with mode 0600: it carries a private key. */
    static void write(Path target, ObjectNode config) {
        try {
            SecureFiles.write(target, YAML.writeValueAsBytes(config), SecureFiles.PRIVATE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }
}
