package io.steep.repl.daemon.grpc;

import io.steep.repl.daemon.certs.TlsMaterial;
import java.util.function.Supplier;
import io.steep.repl.daemon.cluster.ClusterJoin;
import io.steep.repl.daemon.cluster.ClusterSettings;
import io.steep.repl.daemon.cluster.HeartbeatScheduler;
import io.steep.repl.daemon.cluster.LocalNode;
import io.steep.repl.daemon.cluster.NodeRepository;
import io.steep.repl.daemon.cluster.PeerAddress;
import io.steep.repl.daemon.cluster.PostgresProbe;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a daemon runs for the cluster, wired together: TLS material (loaded first, so a missing or bad
 * cert/key/CA stops the start with the file named), the gRPC server, the peer transport and the heartbeat
 * scheduler over this node's {@code steep_repl.nodes}. The daemon's lifecycle starts and stops it as one unit.
 */
public final class CoordinatorNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorNode.class);

    /** What {@code status.get}, {@code /health} and the tray need from the cluster side. */
    public record Status(boolean running, boolean tlsEnabled, int grpcPort, boolean serving,
                         HeartbeatScheduler.ClusterView cluster, long handshakeFailures, long refusedCalls) {
    }

    private final LocalNode self;
    private final GrpcSettings grpc;
    private final NodeRepository repository;
    private final CoordinatorServer server;
    private final GrpcPeerTransport transport;
    private final HeartbeatScheduler scheduler;
    private final ClusterJoin join;

    private CoordinatorNode(LocalNode self, GrpcSettings grpc, NodeRepository repository, CoordinatorServer server,
                            GrpcPeerTransport transport, HeartbeatScheduler scheduler, ClusterJoin join) {
        this.self = self;
        this.grpc = grpc;
        this.repository = repository;
        this.server = server;
        this.transport = transport;
        this.scheduler = scheduler;
        this.join = join;
    }

    /**
     * Builds the node; loads and checks the TLS files now (a {@code CertsException} names the bad file). When
     * TLS is on, {@code self.nodeId()} must be the id the certificate names: peers check it.
     */
    public static CoordinatorNode create(LocalNode self, GrpcSettings grpc, ClusterSettings cluster,
                                         DataSource dataSource, String version) {
        return create(self, grpc, cluster, dataSource, version,
                () -> TlsMaterial.load(grpc.certFile(), grpc.keyFile(), grpc.caFile()), PostgresProbe.of(dataSource));
    }

    /**
     * As above, with the TLS files loaded by {@code tlsLoader} (the daemon loads them ahead, in parallel), and
     * {@code answers} saying what {@code HealthCheck} reports about PostgreSQL (the daemon passes its monitor's
     * snapshot, like /health: no query per call). Heartbeat rounds keep asking the server itself.
     */
    public static CoordinatorNode create(LocalNode self, GrpcSettings grpc, ClusterSettings cluster,
                                         DataSource dataSource, String version, Supplier<TlsMaterial> tlsLoader,
                                         PostgresProbe answers) {
        TlsMaterial tls = null;
        if (grpc.tlsEnabled()) {
            tls = tlsLoader.get();
            if (!tls.nodeId().equals(self.nodeId())) {
                throw new IllegalStateException(grpc.certFile() + ": the certificate is for node '" + tls.nodeId()
                        + "' but node_id is '" + self.nodeId() + "'; peers would refuse every call. Issue a "
                        + "certificate for '" + self.nodeId() + "' or fix node_id");
            }
        }
        PostgresProbe probe = PostgresProbe.of(dataSource);
        NodeRepository repository = new NodeRepository(dataSource, self.actor(), cluster.lastSeenResolution());
        ConnectionLog log = new ConnectionLog(PeerLogLimiter.standard());
        CoordinatorService service = new CoordinatorService(self, repository, answers, log, grpc.tlsEnabled(), version,
                Instant.now());
        CoordinatorServer server = new CoordinatorServer(grpc, tls, service, log);
        GrpcPeerTransport transport = new GrpcPeerTransport(tls);
        HeartbeatScheduler scheduler = new HeartbeatScheduler(self, cluster, repository, transport, probe,
                pg -> server.setServing(pg.connected()));
        ClusterJoin join = new ClusterJoin(self, transport, cluster.joinDeadline());
        return new CoordinatorNode(self, grpc, repository, server, transport, scheduler, join);
    }

    public void start() throws IOException {
        server.start();
        scheduler.start();
        if (!grpc.tlsEnabled()) {
            LOG.warn("cluster: node {} runs WITHOUT TLS (grpc.tls.insecure: true)", self.nodeId());
        }
    }

    public void stop() {
        scheduler.close();
        transport.close();
        server.close();
    }

    @Override
    public void close() {
        stop();
    }

    /** IPC {@code nodes.join}: register with {@code peer} and record it; throws with a message for the user. */
    public ClusterJoin.Joined join(PeerAddress peer) throws SQLException {
        return join.join(peer, repository);
    }

    public Status status() {
        return new Status(server.running(), server.tlsEnabled(), server.port(), server.serving(), scheduler.view(),
                server.connectionLog().handshakeFailures(), server.connectionLog().refusedCalls());
    }

    public LocalNode self() {
        return self;
    }

    public NodeRepository repository() {
        return repository;
    }

    public HeartbeatScheduler scheduler() {
        return scheduler;
    }
}
