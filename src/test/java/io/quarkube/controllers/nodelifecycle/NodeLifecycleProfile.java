package io.quarkube.controllers.nodelifecycle;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The node lifecycle controller on, with a grace period short enough for a test. */
public class NodeLifecycleProfile implements QuarkusTestProfile {

    static final int GRACE_SECONDS = 3;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkube.node-lifecycle.enabled", "true",
                "quarkube.node-lifecycle.node-monitor-grace-period", GRACE_SECONDS + "s",
                "quarkube.scheduler.enabled", "false");
    }
}
