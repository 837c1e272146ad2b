package io.quarkube.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.TestCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Debian's python3-kubernetes client against the control plane, through e2e/python_client.py,
 * which prints what it saw as JSON.
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class PythonClientTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String INSTALL = "apt-get install -y python3-kubernetes";

    @Test
    void createsListsBySelectorAndWatchesConfigMaps() throws URISyntaxException {
        Commands.requireExecutable(PYTHON, INSTALL);
        CommandResult installed = Commands.run(List.of(PYTHON.toString(), "-c", "import kubernetes"), null, Duration.ofSeconds(30));
        assertEquals(0, installed.exitCode(), () -> "the kubernetes module is missing (" + INSTALL + ")\n" + installed.describe());

        Path script = Path.of(getClass().getClassLoader().getResource("e2e/python_client.py").toURI());
        CommandResult run = Commands.run(List.of(PYTHON.toString(), script.toString(), TestCluster.kubeconfig().toString(), "python-client"),
                null, Duration.ofSeconds(90));
        assertEquals(0, run.exitCode(), run::describe);
        JsonNode seen = Manifests.json(run);

        assertEquals("33", seen.path("serverMinor").asText(), run::describe);
        assertEquals("py-selected", seen.at("/created/name").asText(), run::describe);
        assertFalse(seen.at("/created/uid").asText().isEmpty(), run::describe);
        assertEquals("hello", seen.at("/created/data/greeting").asText(), run::describe);
        assertEquals("[\"py-selected\"]", seen.path("selected").toString(), "the label selector leaves out py-other");
        assertEquals("[{\"type\":\"MODIFIED\",\"name\":\"py-selected\",\"greeting\":\"changed\"},"
                + "{\"type\":\"DELETED\",\"name\":\"py-selected\",\"greeting\":\"changed\"}]", seen.path("events").toString(),
                "events after the list's resourceVersion, selected by label, in order");
        assertEquals(404, seen.path("readAfterDelete").asInt(), run::describe);
    }
}
