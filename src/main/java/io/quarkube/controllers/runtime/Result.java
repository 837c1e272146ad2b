package io.quarkube.controllers.runtime;

import java.time.Duration;

/** What a reconcile asks for next: nothing until something changes, or another look after a while. */
public record Result(Duration requeueAfter) {

    private static final Result DONE = new Result(null);

    public static Result done() {
        return DONE;
    }

    public static Result requeueAfter(Duration delay) {
        return new Result(delay);
    }

    public boolean requeue() {
        return requeueAfter != null;
    }
}
