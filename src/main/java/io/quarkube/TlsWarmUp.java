package io.quarkube;

/**
 * Runs the one-time set-up of the TLS server context in the background while the rest of the
 * control plane starts. Netty's JDK server context probes its key handling in a static initializer
 * that builds a Bouncy Castle provider, registering hundreds of algorithm classes; left alone, that
 * happens inside the first TLS handshake and holds up the first request on a cold JVM.
 */
final class TlsWarmUp {

    private static final String SERVER_CONTEXT = "io.netty.handler.ssl.JdkSslServerContext";

    private TlsWarmUp() {
    }

    static void startInBackground() {
        Thread thread = new Thread(TlsWarmUp::initializeServerContext, "quarkube-tls-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private static void initializeServerContext() {
        try {
            Class.forName(SERVER_CONTEXT, true, TlsWarmUp.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            // Nothing lost: the first handshake initializes it, as it would have anyway.
        }
    }
}
