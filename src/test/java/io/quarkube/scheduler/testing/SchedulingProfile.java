package io.quarkube.scheduler.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The control plane with the scheduler on (other tests run without it, so their pods stay untouched). */
public class SchedulingProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkube.scheduler.enabled", "true", "quarkube.node-lifecycle.enabled", "false");
    }
}
