package io.quarkube.scheduler.framework;

/** A scheduler plugin: named as in kube-scheduler's configuration. */
public interface Plugin {

    String name();
}
