package io.steep.repl.daemon.grpc;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log lines about untrusted peers: failed TLS handshakes and refused calls, each with the peer address and the
 * reason, rate-limited per source address by {@link PeerLogLimiter}. Counters are kept for every event, logged or
 * not, so metrics and tests see the true numbers.
 */
public final class ConnectionLog {

    private static final Logger LOG = LoggerFactory.getLogger("io.steep.repl.daemon.grpc.security");

    private final PeerLogLimiter limiter;
    private final AtomicLong handshakeFailures = new AtomicLong();
    private final AtomicLong refusedCalls = new AtomicLong();

    public ConnectionLog(PeerLogLimiter limiter) {
        this.limiter = limiter;
    }

    public void handshakeFailed(SocketAddress remote, Throwable cause) {
        handshakeFailures.incrementAndGet();
        limiter.tryAcquire(host(remote)).ifPresent(p -> LOG.warn("gRPC TLS handshake from {} failed: {}{}",
                describe(remote), reason(cause), p.suffix()));
    }

    /**
     * A connection that closed without sending a single byte: a load balancer's or monitor's TCP check, or a port
     * scan. No handshake was attempted, so it is neither logged as a failure nor counted as one (an alert on the
     * failure counter would fire on every TCP health check otherwise).
     */
    public void closedWithoutData(SocketAddress remote) {
        LOG.debug("gRPC connection from {} closed before sending anything (a TCP check or a port scan)", describe(remote));
    }

    public void callRefused(SocketAddress remote, String method, String reason) {
        refusedCalls.incrementAndGet();
        limiter.tryAcquire(host(remote)).ifPresent(p -> LOG.warn("gRPC {} from {} refused: {}{}", method,
                describe(remote), reason, p.suffix()));
    }

    public long handshakeFailures() {
        return handshakeFailures.get();
    }

    public long refusedCalls() {
        return refusedCalls.get();
    }

    /** The rate-limit key: the source IP without the port (a scanner changes ports, not addresses). */
    static String host(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet) {
            return inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
        }
        return String.valueOf(remote);
    }

    /** The IP literal of {@code remote}, or null (for audit rows' inet column). */
    static String ip(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : null;
    }

    static String describe(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet) {
            return host(remote) + ":" + inet.getPort();
        }
        return String.valueOf(remote);
    }

    /** The innermost message: "Empty client certificate chain", "PKIX path validation failed ...", etc. */
    static String reason(Throwable cause) {
        Throwable t = cause;
        String message = null;
        while (t != null) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getClass().getSimpleName() + ": " + t.getMessage();
            }
            if (t.getCause() == t) {
                break;
            }
            t = t.getCause();
        }
        String m = message == null ? String.valueOf(cause) : message;
        m = m.replaceAll("\\p{Cntrl}", " ");
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }
}
