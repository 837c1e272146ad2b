package io.quarkube.controllers.runtime;

import io.smallrye.mutiny.Uni;

/**
 * A controller the {@link ControllerManager} runs while this replica leads: its informers and its
 * {@link ControllerRunner}. Implementations are CDI beans; those fed by informers declare them on
 * {@link Watches}, which owns that lifecycle.
 */
public interface Controller {

    String name();

    /** Starts the informers (completing once they are synced) and then the runner. */
    Uni<Void> start();

    /** Stops the runner and the informers; start may be called again later. */
    void stop();
}
