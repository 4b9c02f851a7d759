package io.steep.repl.daemon.cluster;

import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * This process's CPU use since the previous reading, in percent of the CPUs it may use: what a heartbeat reports
 * as {@code cpu_percent}. Not {@code OperatingSystemMXBean.getProcessCpuLoad()}: inside a cgroup (a container, a
 * systemd service) that re-reads the cgroup's quota, shares and cpuset files at every call — about a fifth of an
 * idle node's heartbeat CPU in a profile. The process's CPU time is one read of its own counters, and the CPU
 * count is taken once.
 */
final class ProcessCpu {

    private final LongSupplier cpuNanos;
    private final LongSupplier wallNanos;
    private final int cpus;
    private long lastCpu;
    private long lastWall;

    ProcessCpu() {
        this(processCpuTime(), System::nanoTime, Runtime.getRuntime().availableProcessors());
    }

    /** @param cpuNanos the process's CPU time so far, negative when the platform cannot tell */
    ProcessCpu(LongSupplier cpuNanos, LongSupplier wallNanos, int cpus) {
        this.cpuNanos = cpuNanos;
        this.wallNanos = wallNanos;
        this.cpus = Math.max(1, cpus);
        this.lastCpu = cpuNanos.getAsLong();
        this.lastWall = wallNanos.getAsLong();
    }

    /** Percent (0–100) of the available CPUs used since the previous call (the first: since construction). */
    synchronized float percent() {
        long cpu = cpuNanos.getAsLong();
        long wall = wallNanos.getAsLong();
        long usedCpu = cpu - lastCpu;
        long elapsed = wall - lastWall;
        boolean known = cpu >= 0 && lastCpu >= 0;
        lastCpu = cpu;
        lastWall = wall;
        if (!known || elapsed <= 0 || usedCpu < 0) {
            return 0f;
        }
        return (float) Math.min(100.0, 100.0 * usedCpu / ((double) elapsed * cpus));
    }

    private static LongSupplier processCpuTime() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os::getProcessCpuTime;
        }
        return () -> -1;
    }
}
