package io.steep.repl.daemon.grpc;

import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiators;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.steep.repl.daemon.certs.TlsMaterial;
import io.steep.repl.daemon.net.PortOwner;
import io.steep.repl.proto.v1.CoordinatorGrpc;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node-to-node gRPC server: {@code steep.repl.v1.Coordinator} behind {@link CallerIdentity}, plus the standard
 * {@code grpc.health.v1.Health} reporting {@code steep.repl.v1.Coordinator} and "" (NOT_SERVING while PostgreSQL
 * is down: {@link #setServing}). Mutual TLS 1.3 with handshake failures logged ({@link HandshakeWatchingNegotiator}),
 * or plaintext when {@code tls} is null (explicit {@code grpc.tls.insecure}).
 */
public final class CoordinatorServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorServer.class);
    public static final String SERVICE = CoordinatorGrpc.SERVICE_NAME;

    private final GrpcSettings settings;
    private final TlsMaterial tls;
    private final BindableService coordinator;
    private final ConnectionLog log;
    private final HealthStatusManager health = new HealthStatusManager();
    private Server server;
    private volatile boolean serving;

    public CoordinatorServer(GrpcSettings settings, TlsMaterial tls, BindableService coordinator, ConnectionLog log) {
        if (settings.tlsEnabled() && tls == null) {
            throw new IllegalArgumentException("TLS material is required unless grpc.tls.insecure is set");
        }
        this.settings = settings;
        this.tls = settings.tlsEnabled() ? tls : null;
        this.coordinator = coordinator;
        this.log = log;
    }

    public synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        ServerCredentials credentials;
        if (tls != null) {
            credentials = InternalNettyServerCredentials.create(new HandshakeWatchingNegotiator(
                    InternalProtocolNegotiators.serverTls(TlsContexts.server(tls)), log));
        } else {
            credentials = InsecureServerCredentials.create();
            LOG.warn("gRPC: PLAINTEXT on {}:{} (grpc.tls.insecure: true): node identities are not verified and "
                    + "traffic is readable on the network. Use mutual TLS outside a test bench.",
                    settings.bindHost(), settings.port());
        }
        setServing(false);
        Server s = NettyServerBuilder.forAddress(new InetSocketAddress(settings.bindHost(), settings.port()), credentials)
                .addService(ServerInterceptors.intercept(coordinator, new CallerIdentity(tls != null, log)))
                .addService(health.getHealthService())
                .permitKeepAliveTime(10, TimeUnit.SECONDS)
                .maxInboundMessageSize(4 * 1024 * 1024)
                .build();
        try {
            s.start();
        } catch (IOException e) {
            // grpc-netty: "Failed to bind to address …", caused by a BindException or (epoll) Netty's own IOException
            if (e instanceof BindException || e.getCause() instanceof BindException
                    || String.valueOf(e.getMessage()).startsWith("Failed to bind")) {
                throw new IOException(PortOwner.bindFailure("gRPC", "grpc", settings.bindHost(), settings.port(), e, "0.0.0.0"), e);
            }
            throw new IOException("cannot listen for gRPC on " + settings.bindHost() + ":" + settings.port() + ": "
                    + e.getMessage(), e);
        }
        server = s;
        LOG.info("gRPC: listening on {}:{} ({})", settings.bindHost(), port(),
                tls != null ? "mutual TLS 1.3, node " + tls.nodeId() : "plaintext");
    }

    /** The bound port (differs from {@code grpc.port} when that is 0). */
    public synchronized int port() {
        return server == null ? settings.port() : server.getPort();
    }

    public boolean tlsEnabled() {
        return tls != null;
    }

    public boolean serving() {
        return serving;
    }

    public synchronized boolean running() {
        return server != null && !server.isShutdown();
    }

    /** Follows PostgreSQL's reachability: the standard health service says NOT_SERVING while it is down. */
    public void setServing(boolean up) {
        if (up != serving || server == null) {
            ServingStatus s = up ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
            health.setStatus("", s);
            health.setStatus(SERVICE, s);
        }
        serving = up;
    }

    public ConnectionLog connectionLog() {
        return log;
    }

    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        health.enterTerminalState();
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        server = null;
        LOG.info("gRPC: stopped");
    }
}
