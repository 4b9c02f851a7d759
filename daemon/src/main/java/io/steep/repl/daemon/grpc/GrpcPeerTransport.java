package io.steep.repl.daemon.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ConnectivityState;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.steep.repl.daemon.certs.NodeIdentity;
import io.steep.repl.daemon.certs.TlsMaterial;
import io.steep.repl.daemon.cluster.PeerAddress;
import io.steep.repl.daemon.cluster.PeerTransport;
import io.steep.repl.proto.v1.CoordinatorGrpc;
import io.steep.repl.proto.v1.HealthCheckRequest;
import io.steep.repl.proto.v1.HealthCheckResponse;
import io.steep.repl.proto.v1.HeartbeatRequest;
import io.steep.repl.proto.v1.HeartbeatResponse;
import io.steep.repl.proto.v1.RegisterNodeRequest;
import io.steep.repl.proto.v1.RegisterNodeResponse;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Calls peers over mutual TLS 1.3 (or plaintext when {@code tls} is null). One channel per peer address, kept
 * open; gRPC verifies the server certificate against the cluster CA and the dialed host name against its SANs,
 * and the node id the server's certificate names is remembered for {@link #verifiedIdentity}.
 */
public final class GrpcPeerTransport implements PeerTransport {

    private final SslContext sslContext;
    private final Map<PeerAddress, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final Map<PeerAddress, String> identities = new ConcurrentHashMap<>();

    public GrpcPeerTransport(TlsMaterial tls) {
        this(tls == null ? null : TlsContexts.client(tls));
    }

    /** With an explicit client context (null = plaintext). */
    public GrpcPeerTransport(SslContext sslContext) {
        this.sslContext = sslContext;
    }

    /** A channel to {@code peer} with {@code sslContext} (null = plaintext); the caller closes it. */
    public static ManagedChannel channel(PeerAddress peer, SslContext sslContext) {
        NettyChannelBuilder b = NettyChannelBuilder.forAddress(peer.host(), peer.port()).maxInboundMessageSize(4 * 1024 * 1024);
        if (sslContext == null) {
            b.usePlaintext();
        } else {
            b.sslContext(sslContext);
        }
        return b.build();
    }

    private CoordinatorGrpc.CoordinatorBlockingStub stub(PeerAddress peer, Duration deadline) {
        ManagedChannel ch = channels.computeIfAbsent(peer, p -> channel(p, sslContext));
        if (ch.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            // without this, a restarted peer stays "down" for gRPC's reconnect backoff (up to 2 minutes)
            ch.resetConnectBackoff();
        }
        Channel intercepted = ClientInterceptors.intercept(ch, new ServerIdentityCapture(peer));
        return CoordinatorGrpc.newBlockingStub(intercepted).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    private <T> T call(PeerAddress peer, Duration deadline, Function<CoordinatorGrpc.CoordinatorBlockingStub, T> f) {
        try {
            return f.apply(stub(peer, deadline));
        } catch (StatusRuntimeException e) {
            String detail = e.getStatus().getDescription() != null ? e.getStatus().getDescription()
                    : e.getCause() != null ? String.valueOf(e.getCause().getMessage()) : "";
            throw new PeerCallException(peer, e.getStatus().getCode().name(),
                    e.getStatus().getCode() + (detail.isEmpty() ? "" : ": " + detail), e);
        }
    }

    @Override
    public HeartbeatResponse heartbeat(PeerAddress peer, HeartbeatRequest request, Duration deadline) {
        return call(peer, deadline, s -> s.heartbeat(request));
    }

    @Override
    public RegisterNodeResponse register(PeerAddress peer, RegisterNodeRequest request, Duration deadline) {
        return call(peer, deadline, s -> s.registerNode(request));
    }

    @Override
    public HealthCheckResponse health(PeerAddress peer, HealthCheckRequest request, Duration deadline) {
        return call(peer, deadline, s -> s.healthCheck(request));
    }

    @Override
    public Optional<String> verifiedIdentity(PeerAddress peer) {
        return Optional.ofNullable(identities.get(peer));
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        for (ManagedChannel ch : channels.values()) {
            try {
                ch.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        channels.clear();
    }

    /** Reads the server's certificate once the response headers arrive (the TLS session is known by then). */
    private final class ServerIdentityCapture implements ClientInterceptor {
        private final PeerAddress peer;

        ServerIdentityCapture(PeerAddress peer) {
            this.peer = peer;
        }

        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            ClientCall<Q, R> call = next.newCall(method, options);
            return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
                @Override
                public void start(Listener<R> listener, Metadata headers) {
                    super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                        @Override
                        public void onHeaders(Metadata h) {
                            remember(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
                            super.onHeaders(h);
                        }
                    }, headers);
                }
            };
        }

        private void remember(SSLSession session) {
            if (session == null) {
                return;
            }
            try {
                Certificate[] chain = session.getPeerCertificates();
                if (chain.length > 0 && chain[0] instanceof X509Certificate x509) {
                    NodeIdentity.of(x509).ifPresent(id -> identities.put(peer, id));
                }
            } catch (SSLPeerUnverifiedException ignored) {
                // not a TLS peer
            }
        }
    }
}
