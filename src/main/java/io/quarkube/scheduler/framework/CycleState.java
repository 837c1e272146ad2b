package io.quarkube.scheduler.framework;

import java.util.HashMap;
import java.util.Map;

/**
 * What plugins compute once per scheduling cycle (in PreFilter or PreScore) and read for every
 * node: keyed by the plugin's own key class, so plugins cannot read each other's state by mistake.
 * One cycle runs on one thread; no synchronisation.
 */
public final class CycleState {

    private final Map<Class<?>, Object> data = new HashMap<>();

    public <T> void write(Class<T> key, T value) {
        data.put(key, value);
    }

    /** The value a plugin wrote, or null. */
    public <T> T read(Class<T> key) {
        return key.cast(data.get(key));
    }
}
