package dev.clmlp.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) or SIGTERM during training: a shutdown hook asks training to stop at the next
 * step boundary, then holds the JVM's exit until the run has written its checkpoint and said
 * how to resume (at most WAIT_SECONDS). The process then exits with the signal's status (130
 * for SIGINT, 143 for SIGTERM), as the shell expects.
 */
final class StopSignal implements AutoCloseable {
    static final long WAIT_SECONDS = 120;

    private volatile boolean requested;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook = new Thread(this::awaitRun, "clmlp-stop");

    StopSignal() { Runtime.getRuntime().addShutdownHook(hook); }

    /** True once a signal asked the run to stop. */
    boolean requested() { return requested; }

    private void awaitRun() {
        requested = true;
        try {
            finished.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The run is done (checkpoint written or not needed): the JVM may exit. */
    @Override public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down already: the hook has seen finished
        }
    }
}
