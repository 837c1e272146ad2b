package io.quarkube.agent.server;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Sends a container log file to an HTTP response: reads on Vert.x worker threads, writes on the
 * event loop, and waits for the client to drain before reading more. With {@code follow} it waits
 * at the end of the file for new lines, until the container stops running (then sends what is left
 * and ends) or the client goes away.
 */
final class ContainerLogStream {

    private static final Logger LOG = Logger.getLogger(ContainerLogStream.class);
    /** How often a follower looks for new lines at the end of the file. */
    static final Duration FOLLOW_POLL = Duration.ofMillis(100);
    /** How often a follower asks the runtime whether the container still runs. */
    static final Duration RUNNING_CHECK = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final ContainerLogFile file;
    private final HttpServerResponse response;
    private final boolean follow;
    private final Supplier<Uni<Boolean>> running;
    private Context context;
    private boolean closed;
    private long lastRunningCheck;

    ContainerLogStream(Vertx vertx, ContainerLogFile file, HttpServerResponse response, boolean follow,
            Supplier<Uni<Boolean>> running) {
        this.vertx = vertx;
        this.file = file;
        this.response = response;
        this.follow = follow;
        this.running = running;
    }

    /** Starts sending; the response's status and headers must be set. Call on the response's event loop. */
    void start() {
        context = vertx.getOrCreateContext();
        response.setChunked(true);
        response.closeHandler(ignored -> close());
        lastRunningCheck = System.nanoTime();
        pump(false);
    }

    /** Reads and writes one chunk; at the end of the file ends, or (following) waits for more. */
    private void pump(boolean last) {
        if (closed) {
            return;
        }
        Future<ContainerLogFile.Chunk> read = vertx.executeBlocking(file::read, false);
        read.onFailure(this::fail).onSuccess(chunk -> {
            if (closed) {
                return;
            }
            if (chunk.output().length > 0) {
                response.write(Buffer.buffer(chunk.output()));
            }
            if (chunk.limitReached() || chunk.endOfFile() && (!follow || last)) {
                finish();
            } else if (!chunk.endOfFile()) {
                if (response.writeQueueFull()) {
                    response.drainHandler(ignored -> pump(false));
                } else {
                    pump(false);
                }
            } else {
                waitForMore();
            }
        });
    }

    private void waitForMore() {
        vertx.setTimer(FOLLOW_POLL.toMillis(), id -> {
            if (closed) {
                return;
            }
            vertx.executeBlocking(file::hasMore, false).onFailure(this::fail).onSuccess(more -> {
                if (more) {
                    pump(false);
                } else if (System.nanoTime() - lastRunningCheck >= RUNNING_CHECK.toNanos()) {
                    lastRunningCheck = System.nanoTime();
                    running.get().subscribe().with(
                            stillRunning -> context.runOnContext(ignored -> {
                                if (stillRunning) {
                                    waitForMore();
                                } else {
                                    // lines written just before the container stopped
                                    pump(true);
                                }
                            }),
                            failure -> context.runOnContext(ignored -> pump(true)));
                } else {
                    waitForMore();
                }
            });
        });
    }

    private void finish() {
        if (!closed) {
            response.end();
            close();
        }
    }

    private void fail(Throwable failure) {
        LOG.debugf("log stream failed: %s", failure.getMessage());
        if (!closed) {
            response.reset();
            close();
        }
    }

    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        vertx.executeBlocking(() -> {
            try {
                file.close();
            } catch (IOException e) {
                LOG.debugf("closing a log file: %s", e.getMessage());
            }
            return null;
        }, false);
    }
}
