package io.quarkube.controllers.runtime;

import io.smallrye.mutiny.Uni;

/**
 * One controller's logic: given the key of an object, read the desired and observed state and
 * converge, idempotently. It never sees the event that caused the call. A failure retries with
 * back-off; a {@link TerminalException} does not.
 */
public interface Reconciler {

    Uni<Result> reconcile(ObjectRef key);
}
