package io.quarkube.agent.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

class CriConfigTest {

    @Test
    void defaultsAreContainerdsSocketAndTheKubeletsTimeouts() {
        CriRuntimeSettings settings = config(Map.of()).settings();

        assertEquals(new CriRuntimeSettings(Path.of("/run/containerd/containerd.sock"), Duration.ofMinutes(2),
                Duration.ofMinutes(30)), settings);
    }

    @Test
    void everySettingIsConfigurable() {
        CriRuntimeSettings settings = config(Map.of(
                "quarkube.agent.cri.socket", "/var/run/crio/crio.sock",
                "quarkube.agent.cri.request-timeout", "15s",
                "quarkube.agent.cri.image-pull-timeout", "5m")).settings();

        assertEquals(new CriRuntimeSettings(Path.of("/var/run/crio/crio.sock"), Duration.ofSeconds(15),
                Duration.ofMinutes(5)), settings);
    }

    private static CriConfig config(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredConverters()
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .withMapping(CriConfig.class)
                .build();
        return config.getConfigMapping(CriConfig.class);
    }
}
