package dev.clmlp.nn;

import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Inference's device buffers, lent out one per call: calls on many threads never share a
 * buffer, and a thread that comes back finds one already sized. A workspace holds up to a power
 * of two rows (at most {@link Inference#EVAL_BATCH}), so a few sizes serve every request; at most
 * {@link #KEPT} idle ones are kept, the rest closed as they come back.
 */
final class Workspaces implements AutoCloseable {
    /** Idle workspaces kept for the next calls: enough for the threads of a busy server. */
    static final int KEPT = 2 * Runtime.getRuntime().availableProcessors() + 2;

    private final ConcurrentLinkedDeque<Network> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    /** An idle workspace of at least `rows` rows (the smallest such), or a new one; give it back when done. */
    Network borrow(Sequential m, int rows) {
        Network best = null;
        for (Iterator<Network> it = idle.iterator(); it.hasNext(); ) {
            Network n = it.next();
            if (n.batch >= rows && (best == null || n.batch < best.batch)) best = n;
        }
        if (best != null && idle.removeFirstOccurrence(best)) return best;
        return new Network(m.backend, m.plan("predict"), capacity(rows));
    }

    /** The rows a new workspace holds: the next power of two, at most EVAL_BATCH. */
    static int capacity(int rows) {
        return Math.min(Inference.EVAL_BATCH, Integer.highestOneBit(Math.max(1, rows - 1)) << 1);
    }

    void giveBack(Network n) {
        if (closed || idle.size() >= KEPT) n.close();
        else idle.push(n);
        if (closed) closeIdle(); // a close that raced with this return
    }

    private void closeIdle() {
        for (Network n; (n = idle.poll()) != null; ) n.close();
    }

    @Override public void close() {
        closed = true;
        closeIdle();
    }
}
