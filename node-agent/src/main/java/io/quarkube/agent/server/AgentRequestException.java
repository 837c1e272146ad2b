package io.quarkube.agent.server;

/**
 * A request the agent's server turns down, answered like the kubelet does: the status code and a
 * plain-text message, which kube-apiserver (and quarkube's control plane) turns into a Status.
 */
final class AgentRequestException extends RuntimeException {

    private final int status;

    AgentRequestException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static AgentRequestException badRequest(String message) {
        return new AgentRequestException(400, message);
    }

    static AgentRequestException notFound(String message) {
        return new AgentRequestException(404, message);
    }

    int status() {
        return status;
    }
}
