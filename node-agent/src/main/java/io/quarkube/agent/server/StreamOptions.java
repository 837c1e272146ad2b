package io.quarkube.agent.server;

import java.util.List;

import io.vertx.core.MultiMap;

/**
 * The streams an exec or attach request asks for, read from the query as the kubelet reads it
 * ({@code input}, {@code output}, {@code error}, {@code tty}, each {@code command} word).
 */
record StreamOptions(boolean stdin, boolean stdout, boolean stderr, boolean tty, List<String> command) {

    static StreamOptions parse(MultiMap params) {
        boolean tty = flag(params, "tty");
        boolean stdin = flag(params, "input");
        boolean stdout = flag(params, "output");
        // with a terminal, stderr is merged into stdout: the kubelet drops the stream
        boolean stderr = flag(params, "error") && !tty;
        if (!stdin && !stdout && !stderr) {
            throw AgentRequestException.badRequest("you must specify at least 1 of stdin, stdout, stderr");
        }
        return new StreamOptions(stdin, stdout, stderr, tty, List.copyOf(params.getAll("command")));
    }

    private static boolean flag(MultiMap params, String name) {
        String value = params.get(name);
        return value != null && List.of("1", "t", "T", "true", "TRUE", "True").contains(value);
    }
}
