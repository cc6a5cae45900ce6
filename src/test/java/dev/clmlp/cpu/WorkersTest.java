package dev.clmlp.cpu;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.*;

class WorkersTest {
    @Test
    void everyTaskRunsExactlyOnceJobAfterJob() {
        try (Workers w = new Workers(3)) {
            assertEquals(3, w.size());
            for (int job = 0; job < 2000; job++) {
                int tasks = 1 + job % 17;
                AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
                w.run(tasks, runs::incrementAndGet);
                for (int t = 0; t < tasks; t++) assertEquals(1, runs.get(t), "job " + job + " task " + t);
                if (job % 500 == 0) sleep(Workers.SPIN_NANOS / 1_000_000 + 5); // let the workers park, then wake them
            }
        }
    }

    /**
     * Equal tasks: the caller runs the first half, the worker the second, job after job, so each
     * meets the data it wrote last time in its own cache. Three tries, as a loaded machine may
     * hold the worker back long enough for the caller to take one of its tasks; from one counter,
     * the threads took turns and no try came out so.
     */
    @Test
    void eachThreadRunsItsOwnShareFirst() {
        try (Workers w = new Workers(2)) {
            Thread caller = Thread.currentThread();
            boolean split = false;
            for (int attempt = 0; attempt < 3 && !split; attempt++) {
                Thread[] ranBy = new Thread[8];
                w.run(8, t -> {
                    ranBy[t] = Thread.currentThread();
                    sleep(20);
                });
                split = true;
                for (int t = 0; t < 8; t++) split &= (ranBy[t] == caller) == (t < 4);
            }
            assertTrue(split, "tasks 0-3 on the caller and 4-7 on the worker in none of three jobs");
        }
    }

    @Test
    void aFailingTaskIsRethrownAndTheTeamStaysUsable() {
        try (Workers w = new Workers(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.run(8, t -> {
                if (t == 5) throw new IllegalStateException("task 5");
            }));
            assertEquals("task 5", e.getMessage());
            AtomicIntegerArray runs = new AtomicIntegerArray(4);
            w.run(4, runs::incrementAndGet);
            for (int t = 0; t < 4; t++) assertEquals(1, runs.get(t));
        }
    }

    @Test
    void closeEndsTheWorkerThreads() {
        long before = countWorkers();
        Workers w = new Workers(4);
        assertEquals(before + 3, countWorkers());
        w.close();
        assertEquals(before, countWorkers());
    }

    private static long countWorkers() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("clmlp-cpu-") && t.isAlive()).count();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
