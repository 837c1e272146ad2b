package io.quarkube.controllers.runtime;

/** A reconcile failure that retrying cannot fix: the key is dropped until its object changes again. */
public class TerminalException extends RuntimeException {

    public TerminalException(String message) {
        super(message);
    }
}
