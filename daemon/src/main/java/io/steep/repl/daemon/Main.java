package io.steep.repl.daemon;

import io.steep.repl.daemon.cli.SteepReplCommand;
import io.steep.repl.ipc.transport.BundledNativeLibraries;

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
    static final String NETTY_NO_NATIVE = "io.grpc.netty.shaded.io.netty.transport.noNative";
    static final String PICOCLI_NO_CLOSURES = "picocli.disable.closures";

    /**
     * JVM-wide settings, made before any library reads them. A node has a handful of gRPC connections, not
     * thousands: Netty buffers allocated per use and collected by the GC, instead of gRPC's pooled arenas, whose
     * first TLS connection on each event loop pins a 2 MB heap chunk (idle RSS 128 -> 121 MB at the same
     * latencies, docs/benchmarks.md).
     *
     * <p>Java NIO, not Netty's native epoll transport: that one is a shared library inside the jar which Netty
     * writes to the temp directory and loads at every start (failing where /tmp is mounted noexec); a node's few
     * connections gain nothing from it, and start-up loses the copy and the load.
     *
     * <p>picocli looks up Groovy's closure class once, and a class that is not there is searched for in every jar
     * of the class path — about 60 jars opened and their manifests read, on the start-up path, for nothing.
     *
     * <p>junixsocket and JNA load the native libraries the distribution carries unpacked ({@link
     * BundledNativeLibraries}) instead of copying theirs out of their jars at every start.
     *
     * <p>A value given with -D wins.
     */
    static void applyDefaults(java.util.Properties properties) {
        properties.putIfAbsent(NETTY_ALLOCATOR, "unpooled");
        properties.putIfAbsent(NETTY_NO_NATIVE, "true");
        properties.putIfAbsent(PICOCLI_NO_CLOSURES, "true");
        BundledNativeLibraries.applyFromClassPath(properties);
    }

    public static void main(String[] args) {
        applyDefaults(System.getProperties());
        System.exit(SteepReplCommand.execute(args));
    }
}
