package io.steep.repl.daemon.ipc;

import java.time.Duration;

/**
 * Limits that keep one client from hurting the others.
 *
 * @param maxConnections     concurrent connections; the next one is answered UNAVAILABLE and closed
 * @param idleTimeout        a connection with no request, no pending answer and no subscription is closed after this
 * @param maxInFlight        requests of one connection being served at once; more wait (the connection stops being read)
 * @param outboundQueueLines answers/events queued for a client that does not read; beyond that it is disconnected
 */
public record IpcServerOptions(int maxConnections, Duration idleTimeout, int maxInFlight, int outboundQueueLines) {

    public IpcServerOptions {
        if (maxConnections < 1 || maxInFlight < 1 || outboundQueueLines < 1) {
            throw new IllegalArgumentException("IPC limits must be positive");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("IPC idle timeout must be positive");
        }
    }

    public static IpcServerOptions defaults() {
        return new IpcServerOptions(128, Duration.ofMinutes(5), 32, 1024);
    }

    public IpcServerOptions withMaxConnections(int n) {
        return new IpcServerOptions(n, idleTimeout, maxInFlight, outboundQueueLines);
    }

    public IpcServerOptions withIdleTimeout(Duration d) {
        return new IpcServerOptions(maxConnections, d, maxInFlight, outboundQueueLines);
    }

    public IpcServerOptions withOutboundQueueLines(int n) {
        return new IpcServerOptions(maxConnections, idleTimeout, maxInFlight, n);
    }
}
