package io.steep.repl.daemon.cluster;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessCpuTest {

    @Test
    void percentOfAllCpusSinceThePreviousReading() {
        AtomicLong cpu = new AtomicLong(5_000_000_000L);
        AtomicLong wall = new AtomicLong(1_000);
        ProcessCpu p = new ProcessCpu(cpu::get, wall::get, 2);
        cpu.addAndGet(50_000_000);   // 50 ms of CPU
        wall.addAndGet(100_000_000); // in 100 ms, on two CPUs
        assertThat(p.percent()).isEqualTo(25f);
        wall.addAndGet(1_000_000_000); // idle second
        assertThat(p.percent()).isZero();
        cpu.addAndGet(4_000_000_000L); // more than the CPUs can give (counter granularity): capped
        wall.addAndGet(1_000_000_000);
        assertThat(p.percent()).isEqualTo(100f);
        assertThat(p.percent()).isZero(); // no time passed
    }

    @Test
    void unknownCpuTimeReportsZero() {
        AtomicLong wall = new AtomicLong();
        ProcessCpu p = new ProcessCpu(() -> -1, wall::get, 4);
        wall.addAndGet(1_000_000_000);
        assertThat(p.percent()).isZero();
    }

    @Test
    void theRealProcessShowsTheWorkDone() {
        ProcessCpu p = new ProcessCpu();
        long until = System.nanoTime() + 300_000_000L;
        long x = 0;
        while (System.nanoTime() < until) {
            x += Long.numberOfTrailingZeros(x + System.nanoTime()); // busy: this thread's CPU time grows
        }
        assertThat(x).isNotNegative();
        // one busy thread for the whole interval is 100 / cpus percent; scheduling can take some of it away
        assertThat(p.percent()).isGreaterThan(10f / Runtime.getRuntime().availableProcessors()).isLessThanOrEqualTo(100f);
    }
}
