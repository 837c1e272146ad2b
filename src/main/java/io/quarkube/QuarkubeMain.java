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

    private static final String PKCS12_KEY_ROUNDS = "keystore.pkcs12.keyPbeIterationCount";

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
        fewerKeyWrappingRounds();
        ControlPlaneSetup setup = ControlPlaneSetup.prepare(QuarkubeMain::setting);
        // Not earlier: logging is set up while preparing, and initializing it from two threads deadlocks.
        TlsWarmUp.startInBackground();
        setup.config().forEach(System::setProperty);
        Runtime.getRuntime().addShutdownHook(new Thread(setup::close, "quarkube-storage-shutdown"));
        Quarkus.run(QuarkubeMain.class, args);
    }

    /**
     * Vert.x hands each PEM key it loads (the serving key, the kubelet client key) to the JDK through an
     * in-memory PKCS#12 store with a fixed dummy password, wrapping and unwrapping the key with 10,000
     * PBKDF2 rounds each time: about 150 ms of a start. The rounds guard nothing (the key lies
     * unencrypted in the data directory, and admin.p12's password is public), so this JVM wraps keys with
     * one round unless the operator set the JDK property.
     */
    static void fewerKeyWrappingRounds() {
        if (System.getProperty(PKCS12_KEY_ROUNDS) == null) {
            System.setProperty(PKCS12_KEY_ROUNDS, "1");
        }
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
