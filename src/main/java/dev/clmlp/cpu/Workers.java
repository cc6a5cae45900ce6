package dev.clmlp.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The threads of the CPU backend's parallel loops: the calling thread plus size-1 workers.
 * A training step runs a dozen short parallel operations back to back; waking a parked thread
 * costs tens of microseconds (a futex call, more in a VM), as much as the work itself. So a
 * worker spins for a while after each job before it parks, and the caller takes a share of every
 * job.
 * <p>
 * Each thread starts with its own share of a job's tasks, the same tasks every time (the caller
 * the first), and then takes what is left of the others'. So a thread meets, step after step, the
 * data it last wrote, in its own cache: handed out from a single counter, in whatever order the
 * threads came, half of every product's operands were in the other core's cache. 1024-1024 on two
 * threads (AMD EPYC Zen 5): 2,847 -> 2,543 us a step, medians of five alternated runs, the wait
 * for the slowest thread 277 -> 110 us.
 */
final class Workers implements AutoCloseable {
    /** How long an idle worker spins before parking: longer than the gaps within a training step. */
    static final long SPIN_NANOS = 200_000;

    /** ints in a cache line */
    private static final int SLOT = 16;

    private static final class Job {
        final int tasks, size;
        final IntConsumer body;
        final AtomicInteger done = new AtomicInteger();
        /** next[r * SLOT]: the next task of share r not yet taken; a cache line each, as every thread counts on its own. */
        final AtomicIntegerArray next;
        volatile Throwable failure;

        Job(int tasks, IntConsumer body, int size) {
            this.tasks = tasks;
            this.body = body;
            this.size = size;
            next = new AtomicIntegerArray(SLOT * size);
            for (int r = 0; r < size; r++) next.set(SLOT * r, start(r));
        }

        /** Share r, thread r's (the caller's is 0): tasks [start(r), start(r + 1)). */
        int start(int r) { return (int) ((long) r * tasks / size); }

        /** Runs thread `self`'s share of the tasks, then what is left of the others'. */
        void work(int self) {
            for (int k = 0; k < size; k++) {
                int r = (self + k) % size, end = start(r + 1);
                for (int t; (t = next.getAndIncrement(SLOT * r)) < end; ) {
                    try {
                        body.accept(t);
                    } catch (Throwable e) {
                        if (failure == null) failure = e;
                    } finally {
                        done.incrementAndGet();
                    }
                }
            }
        }
    }

    private final Thread[] threads;
    private volatile Job job;
    private volatile boolean closed;
    /** Told how long the caller waited for the other threads after finishing its share of a job; null: not measured. */
    java.util.function.LongConsumer waitTimes;

    /** Products of fewer multiply-adds run on the calling thread alone ({@link VectorGemm}, {@link SparseGemm}). */
    final long shareFrom;

    Workers(int size) { this(size, VectorGemm.SERIAL_BELOW); }

    /** With shareFrom 0 every product is shared out, as the tests of the parallel paths need. */
    Workers(int size, long shareFrom) {
        this.shareFrom = shareFrom;
        threads = new Thread[Math.max(0, size - 1)];
        for (int i = 0; i < threads.length; i++) {
            int self = i + 1;
            threads[i] = new Thread(() -> loop(self), "clmlp-cpu-" + (i + 1));
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    /** Threads taking part in a job, the caller included. */
    int size() { return threads.length + 1; }

    /** body(0 .. tasks-1) across the team; returns when all are done, rethrowing the first failure. */
    void run(int tasks, IntConsumer body) {
        if (tasks <= 1 || threads.length == 0 || isWorker()) {
            for (int t = 0; t < tasks; t++) body.accept(t);
            return;
        }
        Job j = new Job(tasks, body, threads.length + 1);
        job = j;
        for (Thread t : threads) LockSupport.unpark(t); // no system call unless the worker is parked
        j.work(0);
        long t0 = waitTimes != null ? System.nanoTime() : 0;
        while (j.done.get() < tasks) Thread.onSpinWait();
        if (waitTimes != null) waitTimes.accept(System.nanoTime() - t0);
        if (j.failure instanceof RuntimeException e) throw e;
        if (j.failure instanceof Error e) throw e;
    }

    private boolean isWorker() {
        for (Thread t : threads) if (t == Thread.currentThread()) return true;
        return false;
    }

    private void loop(int self) {
        Job last = null;
        while (!closed) {
            Job j = job;
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (j == last && !closed) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
                j = job;
            }
            if (j != last) j.work(self);
            last = j;
        }
    }

    @Override public void close() {
        closed = true;
        for (Thread t : threads) LockSupport.unpark(t);
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
