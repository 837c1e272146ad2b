package io.quarkube;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the control plane: prepares certificates and (unless external servers are configured)
 * the embedded PostgreSQL and Redis, then runs Quarkus with that configuration.
 */
@QuarkusMain
public class QuarkubeMain implements QuarkusApplication {

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals(NodeKubeconfigCommand.NAME)) {
            try {
                System.out.println(NodeKubeconfigCommand.run(List.of(args).subList(1, args.length)));
                System.exit(0);
            } catch (RuntimeException e) {
                System.err.println(e.getMessage());
                System.exit(2);
            }
        }
        ControlPlaneSetup setup = ControlPlaneSetup.prepare(QuarkubeMain::setting);
        // Not earlier: logging is set up while preparing, and initializing it from two threads deadlocks.
        TlsWarmUp.startInBackground();
        setup.config().forEach(System::setProperty);
        Runtime.getRuntime().addShutdownHook(new Thread(setup::close, "quarkube-storage-shutdown"));
        Quarkus.run(QuarkubeMain.class, args);
    }

    /** A setting from a system property, else from its QUARKUBE_* / QUARKUS_* environment variable. */
    static Optional<String> setting(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            value = System.getenv(property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }

    @Override
    public int run(String... args) {
        Quarkus.waitForExit();
        return 0;
    }
}
