package io.quarkube.controllers.runtime;

import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.quarkube.client.ApiClient;
import io.quarkube.leaderelection.LeaderElectionConfig;
import io.quarkube.leaderelection.LeaderElector;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * kube-controller-manager inside the control plane: every {@link Controller} runs only on the
 * replica holding the {@code kube-controller-manager} Lease in kube-system, and stops when that
 * replica loses it.
 */
@ApplicationScoped
public class ControllerManager {

    private static final Logger LOG = Logger.getLogger(ControllerManager.class);
    static final String LEASE = "kube-controller-manager";

    @Inject
    @Any
    Instance<Controller> controllers;
    @Inject
    ApiClient api;
    @Inject
    Vertx vertx;
    @Inject
    LeaderElectionConfig config;

    private LeaderElector elector;

    /** After the control plane's own start-up (watch cache loaded, system namespaces created). */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
        elector = new LeaderElector("kube-system", LEASE, LeaderElector.identity(config), api, vertx, config, new LeaderElector.Callbacks() {
            @Override
            public void startedLeading() {
                for (Controller controller : all()) {
                    controller.start().subscribe().with(
                            started -> LOG.debugf("%s started", controller.name()),
                            failure -> LOG.errorf(failure, "%s could not start", controller.name()));
                }
            }

            @Override
            public void stoppedLeading() {
                all().forEach(Controller::stop);
            }
        });
        elector.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (elector != null) {
            elector.stop().await().indefinitely();
        }
    }

    public boolean isLeader() {
        return elector != null && elector.isLeader();
    }

    private List<Controller> all() {
        return controllers.stream().toList();
    }
}
