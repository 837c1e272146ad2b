package io.quarkube.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** Manifest files for kubectl's {@code -f}, and parsing of what kubectl prints. */
final class Manifests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    private Manifests() {
    }

    /** A one-container Deployment (from e2e/deployment.yaml) written to a temporary file. */
    static Path deployment(String name, String image, String mode) {
        String yaml = resource("e2e/deployment.yaml").replace("NAME", name).replace("IMAGE", image)
                .replace("MODE_VALUE", mode);
        try {
            Path file = Files.createTempFile("quarkube-e2e-" + name + "-", ".yaml");
            file.toFile().deleteOnExit();
            return Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String resource(String name) {
        try (InputStream in = Manifests.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(CommandResult result) {
        try {
            return JSON.readTree(result.stdout());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + result.describe(), e);
        }
    }

    static JsonNode yaml(CommandResult result) {
        try {
            return YAML.readTree(result.stdout());
        } catch (IOException e) {
            throw new AssertionError("not YAML: " + result.describe(), e);
        }
    }
}
