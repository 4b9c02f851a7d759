package io.steep.repl.ipc.transport;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/**
 * Where the daemon listens for IPC and how a client reaches it: a unix domain socket on Linux/macOS, a named
 * pipe on Windows. {@link #of} is the one place that chooses by OS.
 */
public sealed interface IpcEndpoint permits UnixSocketEndpoint, NamedPipeEndpoint {

    /** The endpoint for a configured {@code ipc.path} on this OS. */
    static IpcEndpoint of(String path, AccessPolicy policy) {
        return isWindows() ? NamedPipeEndpoint.of(path, policy) : UnixSocketEndpoint.of(path, policy);
    }

    /** A client-side endpoint (the access policy only matters to the listener). */
    static IpcEndpoint of(String path) {
        return of(path, AccessPolicy.OWNER_ONLY);
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /** The path or pipe name, for messages and logs. */
    String address();

    /**
     * Claims the endpoint and starts listening. Throws {@link EndpointInUseException} when another daemon serves
     * it and {@link EndpointRefusedException} when something that is not ours occupies it.
     */
    IpcListener listen() throws IOException;

    /** Connects as a client. Throws {@link EndpointUnavailableException} with the reason and the fix. */
    IpcConnection connect(Duration timeout) throws IOException;
}
