package io.quarkube.agent;

import java.nio.file.Path;
import java.util.function.Function;

import io.quarkube.agent.cri.CriConfig;
import io.quarkube.agent.cri.CriRuntime;
import io.quarkube.agent.cri.CriRuntimeSettings;
import io.quarkube.agent.runtime.ContainerRuntime;

/** The CRI runtime of the node, reached over the runtime's unix socket (the command line's --cri-socket wins). */
final class CriRuntimes {

    private CriRuntimes() {
    }

    static Function<String, ContainerRuntime> connect(Path socket, CriConfig config) {
        CriRuntime runtime = CriRuntime.connect(new CriRuntimeSettings(socket, config.requestTimeout(), config.imagePullTimeout()));
        return node -> runtime;
    }
}
