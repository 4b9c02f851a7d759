package io.steep.repl.daemon;

import io.steep.repl.daemon.cli.SteepReplCommand;

/**
 * Entry point of {@code steep-repl}. Also the entry point of the Windows service (procrun jvm mode calls
 * {@code main(["run", "--config", …])} and treats the service as running until it returns; its stop calls
 * {@code System.exit(0)}, which runs the same shutdown hook as SIGTERM).
 */
public final class Main {

    private Main() {
    }

    /** grpc-netty-shaded reads Netty's settings under its relocated package name. */
    static final String NETTY_ALLOCATOR = "io.grpc.netty.shaded.io.netty.allocator.type";

    /**
     * JVM-wide settings, made before any library reads them. A node has a handful of gRPC connections, not
     * thousands: Netty buffers allocated per use and collected by the GC, instead of gRPC's pooled arenas, whose
     * first TLS connection on each event loop pins a 2 MB heap chunk (idle RSS 128 -> 121 MB at the same
     * latencies, docs/benchmarks.md). A value given with -D wins.
     */
    static void applyDefaults(java.util.Properties properties) {
        properties.putIfAbsent(NETTY_ALLOCATOR, "unpooled");
    }

    public static void main(String[] args) {
        applyDefaults(System.getProperties());
        System.exit(SteepReplCommand.execute(args));
    }
}
