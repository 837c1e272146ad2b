package io.quarkube.agent.cri;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Creates {@link CriRuntime} clients from {@link CriConfig}. Whoever creates one owns it and closes it;
 * the connection itself is made on the first call, so creating one never fails for a runtime that is down.
 */
@ApplicationScoped
public class CriRuntimeFactory {

    private final CriConfig config;

    public CriRuntimeFactory(CriConfig config) {
        this.config = config;
    }

    public CriRuntime create() {
        return CriRuntime.connect(config.settings());
    }
}
