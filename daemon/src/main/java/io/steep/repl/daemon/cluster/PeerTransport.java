package io.steep.repl.daemon.cluster;

import io.steep.repl.proto.v1.HealthCheckRequest;
import io.steep.repl.proto.v1.HealthCheckResponse;
import io.steep.repl.proto.v1.HeartbeatRequest;
import io.steep.repl.proto.v1.HeartbeatResponse;
import io.steep.repl.proto.v1.RegisterNodeRequest;
import io.steep.repl.proto.v1.RegisterNodeResponse;
import java.time.Duration;

/**
 * How this node calls its peers' {@code steep.repl.v1.Coordinator}. The gRPC implementation (mutual TLS) lives in
 * {@code io.steep.repl.daemon.grpc}; this seam keeps the cluster logic free of transport details. Every call
 * either returns the peer's answer within {@code deadline} or throws {@link PeerCallException}.
 */
public interface PeerTransport extends AutoCloseable {

    HeartbeatResponse heartbeat(PeerAddress peer, HeartbeatRequest request, Duration deadline);

    RegisterNodeResponse register(PeerAddress peer, RegisterNodeRequest request, Duration deadline);

    HealthCheckResponse health(PeerAddress peer, HealthCheckRequest request, Duration deadline);

    /** The node id the peer's verified certificate names, when the transport knows it (mTLS). */
    default java.util.Optional<String> verifiedIdentity(PeerAddress peer) {
        return java.util.Optional.empty();
    }

    @Override
    void close();

    /** A call that did not produce an answer: unreachable, refused, timed out, TLS failure. */
    final class PeerCallException extends RuntimeException {
        private final String code;

        public PeerCallException(PeerAddress peer, String code, String message, Throwable cause) {
            super(peer + ": " + message, cause);
            this.code = code;
        }

        /** The gRPC status code name (UNAVAILABLE, DEADLINE_EXCEEDED, PERMISSION_DENIED, ...). */
        public String code() {
            return code;
        }
    }
}
