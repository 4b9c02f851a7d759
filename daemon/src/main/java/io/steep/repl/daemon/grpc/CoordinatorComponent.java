package io.steep.repl.daemon.grpc;

import io.steep.repl.daemon.certs.TlsMaterial;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.steep.repl.daemon.certs.CertificateExpiry;
import io.steep.repl.daemon.certs.CertsException;
import io.steep.repl.daemon.cluster.ClusterSettings;
import io.steep.repl.daemon.cluster.InvalidFieldException;
import io.steep.repl.daemon.cluster.LocalNode;
import io.steep.repl.daemon.cluster.PeerAddress;
import io.steep.repl.daemon.cluster.PostgresProbe;
import io.steep.repl.daemon.db.PgStatus;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.embedded.DevConfig;
import io.steep.repl.daemon.health.ComponentHealth;
import io.steep.repl.daemon.health.HealthRegistry;
import io.steep.repl.daemon.lifecycle.Component;
import io.steep.repl.daemon.lifecycle.DaemonContext;
import io.steep.repl.daemon.lifecycle.StartupException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The node-to-node side of the daemon as one lifecycle component: the mTLS gRPC server, heartbeats and election
 * ({@link CoordinatorNode}). Reports {@code grpc} and, with TLS, {@code certificate} health (a warning when the
 * node certificate expires within 30 days), tells /health whether this node is the coordinator, and exports
 * certificate expiry and security counters as metrics.
 */
public final class CoordinatorComponent implements Component {

    /** Health and metrics re-read the certificate at most this often (it is replaced on disk, not in memory). */
    private static final Duration EXPIRY_REFRESH = Duration.ofHours(1);

    private final DaemonContext ctx;
    private final Clock clock;
    private volatile CoordinatorNode node;
    private volatile CertificateExpiry expiry;
    private volatile Instant expiryReadAt = Instant.EPOCH;
    private final CompletableFuture<TlsMaterial> tlsAhead;

    /** @param tlsAhead from {@link #loadTlsAhead} started earlier, or null to load the TLS files in {@link #start()} */
    public CoordinatorComponent(DaemonContext ctx, CompletableFuture<TlsMaterial> tlsAhead) {
        this(ctx, tlsAhead, Clock.systemUTC());
    }

    CoordinatorComponent(DaemonContext ctx, CompletableFuture<TlsMaterial> tlsAhead, Clock clock) {
        this.ctx = ctx;
        this.clock = clock;
        this.tlsAhead = tlsAhead;
    }

    /**
     * Loading and checking the TLS files (certificate parsing, the key-matches-certificate signature, the JDK and
     * Netty TLS contexts, all cold code) is the longest chain of start-up. The daemon calls this first thing, before
     * it builds any component: the work runs on threads of its own while the other components start, and
     * {@link #start()} picks up the result — or the error, with the same message as a load on the spot. Netty's
     * JDK TLS defaults (its static initialiser builds a default {@code SSLContext}, which reads the JDK's CA
     * store) need nothing from the files, so they are initialised on a second thread at the same time.
     *
     * @return null when there is nothing to load (no TLS, or the config check reports what is missing)
     */
    public static CompletableFuture<TlsMaterial> loadTlsAhead(DaemonConfig.Tls tls) {
        if (tls.insecure() || tls.certFile().isEmpty() || tls.keyFile().isEmpty() || tls.caFile().isEmpty()) {
            return null;
        }
        Thread.ofPlatform().name("tls-init").daemon().start(TlsContexts::initialiseNetty);
        CompletableFuture<TlsMaterial> f = new CompletableFuture<>();
        Thread.ofPlatform().name("tls-load").daemon().start(() -> {
            try {
                TlsMaterial material = TlsMaterial.load(tls.certFile().get(), tls.keyFile().get(), tls.caFile().get());
                TlsContexts.server(material); // class initialisation of Netty's TLS side, off the main thread
                f.complete(material);
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    private TlsMaterial tlsLoaded(GrpcSettings grpc) {
        if (tlsAhead == null) {
            return TlsMaterial.load(grpc.certFile(), grpc.keyFile(), grpc.caFile());
        }
        try {
            return tlsAhead.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r; // CertsException / IllegalStateException: the messages name the file to fix
            }
            throw e;
        }
    }

    @Override
    public String name() {
        return "grpc";
    }

    @Override
    public void start() throws StartupException {
        DaemonConfig c = ctx.config();
        DaemonConfig.Tls tls = c.grpc().tls();
        try {
            LocalNode self = new LocalNode(c.nodeId(), c.nodeName(), advertisedHost(c), c.grpc().port(), c.priority());
            GrpcSettings grpc = new GrpcSettings(c.grpc().bind(), c.grpc().port(), tls.certFile().orElse(null),
                    tls.keyFile().orElse(null), tls.caFile().orElse(null), tls.insecure());
            ClusterSettings cluster = new ClusterSettings(
                    c.cluster().peers().stream().map(p -> new PeerAddress(p.host(), p.port())).toList(),
                    c.cluster().heartbeatInterval(), c.cluster().unreachableAfter(),
                    c.cluster().degradedAfter().orElse(null), null);
            node = CoordinatorNode.create(self, grpc, cluster, ctx.database().dataSource(), ctx.version(),
                    () -> tlsLoaded(grpc), this::postgresFromMonitor);
        } catch (InvalidFieldException e) {
            throw new StartupException("grpc: " + e.getMessage());
        } catch (CertsException | IllegalStateException e) {
            throw new StartupException("grpc: " + e.getMessage() + " (grpc.tls in " + c.source() + ")");
        }
        try {
            node.start();
        } catch (IOException e) {
            node.close();
            throw new StartupException("grpc: " + e.getMessage());
        }
        ctx.health().register(HealthRegistry.GRPC, this::grpcHealth);
        // /health asks these on every probe: read the scheduler's view, not a full status (which sums the connection log)
        ctx.health().coordinator(() -> node != null && node.scheduler().view().isCoordinator());
        if (node.status().tlsEnabled()) {
            ctx.health().register("certificate", this::certificateHealth);
            Gauge.builder("steep_repl_certificate_expiry_seconds", this, s -> s.certificate().map(e -> (double) e.secondsLeft()).orElse(Double.NaN))
                    .description("Seconds until this node's gRPC certificate expires").register(ctx.meters());
        }
        FunctionCounter.builder("steep_repl_grpc_handshake_failures", this, s -> s.node == null ? 0 : s.node.status().handshakeFailures())
                .description("Failed TLS handshakes at the gRPC port").register(ctx.meters());
        FunctionCounter.builder("steep_repl_grpc_refused_calls", this, s -> s.node == null ? 0 : s.node.status().refusedCalls())
                .description("gRPC calls refused for identity or input").register(ctx.meters());
        Gauge.builder("steep_repl_cluster_size", this, s -> s.node == null ? 0 : s.node.scheduler().view().clusterSize())
                .description("Nodes known to this node").register(ctx.meters());
    }

    /**
     * What HealthCheck answers about PostgreSQL: the monitor's snapshot (probed every second, updated at once on a
     * failure), as /health does. A query per call put a database round trip into every peer's health check and
     * into its latency tail.
     */
    private PostgresProbe.PostgresState postgresFromMonitor() {
        PgStatus s = ctx.database().status();
        return s.reachable()
                ? new PostgresProbe.PostgresState(true, s.serverVersion().orElse(""), "connected")
                : new PostgresProbe.PostgresState(false, "", s.error().orElse("not connected"));
    }

    private static String advertisedHost(DaemonConfig c) {
        if (c.grpc().advertiseHost().isPresent()) {
            return c.grpc().advertiseHost().get();
        }
        String bind = c.grpc().bind();
        return bind.equals("0.0.0.0") || bind.equals("::") ? DevConfig.hostname() : bind;
    }

    /** The running node, empty before start and after stop. */
    public Optional<CoordinatorNode> node() {
        return Optional.ofNullable(node);
    }

    /** This node's certificate expiry (cached; re-read hourly), empty without TLS. */
    public Optional<CertificateExpiry> certificate() {
        CoordinatorNode n = node;
        Optional<Path> file = ctx.config().grpc().tls().certFile();
        if (n == null || !n.status().tlsEnabled() || file.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expiry == null || Duration.between(expiryReadAt, now).compareTo(EXPIRY_REFRESH) > 0) {
            try {
                expiry = CertificateExpiry.of(file.get(), clock);
                expiryReadAt = now;
            } catch (CertsException e) {
                return Optional.ofNullable(expiry);
            }
        }
        return Optional.of(expiry);
    }

    private ComponentHealth grpcHealth() {
        CoordinatorNode n = node;
        CoordinatorNode.Status s = n == null ? null : n.status();
        if (s == null || !s.running()) {
            return ComponentHealth.down("stopped", "the gRPC server is not running");
        }
        return ComponentHealth.up(s.tlsEnabled() ? "listening" : "listening_insecure", s.grpcPort());
    }

    private ComponentHealth certificateHealth() {
        Optional<CertificateExpiry> e = certificate();
        if (e.isEmpty()) {
            return ComponentHealth.down("unreadable", "the node certificate cannot be read");
        }
        CertificateExpiry x = e.get();
        if (x.expired()) {
            return ComponentHealth.down("expired", "the node certificate expired on " + x.notAfter()
                    + "; issue a new one with `steep-repl tls issue-node` and restart");
        }
        if (x.expiringSoon()) {
            // a warning, not an outage: the node still works, the operator has days to act
            return new ComponentHealth(true, "expiring_soon", null, 0, null,
                    "the node certificate expires in " + x.daysLeft() + " days (" + x.notAfter() + ")");
        }
        return new ComponentHealth(true, "valid", null, 0, null, null);
    }

    @Override
    public void stop() {
        ctx.health().unregister(HealthRegistry.GRPC);
        ctx.health().unregister("certificate");
        CoordinatorNode n = node;
        if (n != null) {
            n.stop();
        }
        node = null;
    }
}
