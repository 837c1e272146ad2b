package io.quarkube;

/**
 * Runs the one-time set-up of the TLS server context in the background while the rest of the
 * control plane starts. Netty's JDK server context probes its key handling in a static initializer
 * that builds a Bouncy Castle provider (hundreds of classes, none of which the JVM's class caches can
 * hold because the jar is signed); left alone, that happens inside the first TLS handshake and holds
 * up the first request by a good part of a second on a cold JVM.
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
