package io.steep.repl.daemon.grpc;

import io.steep.repl.daemon.cluster.ClusterSettings;
import io.steep.repl.daemon.cluster.LocalNode;
import io.steep.repl.daemon.cluster.NodeRecord;
import io.steep.repl.daemon.cluster.NodeStatus;
import io.steep.repl.daemon.cluster.PeerAddress;
import io.steep.repl.testing.PgServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** A real daemon's cluster side: its own database on the shared PG 18, real mTLS gRPC on 127.0.0.1. */
final class TestNode implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofMillis(200);
    static final int UNREACHABLE_AFTER = 3;

    final String id;
    final int priority;
    final int port;
    final String database;
    final HikariDataSource dataSource;
    final TestPki.Bundle bundle;
    private final List<PeerAddress> peers;
    private CoordinatorNode node;

    private TestNode(String id, int priority, int port, String database, HikariDataSource ds, TestPki.Bundle bundle,
                     List<PeerAddress> peers) {
        this.id = id;
        this.priority = priority;
        this.port = port;
        this.database = database;
        this.dataSource = ds;
        this.bundle = bundle;
        this.peers = peers;
    }

    static TestNode create(PgServer pg, TestPki pki, String id, int priority, List<PeerAddress> peers) throws Exception {
        String db = pg.createDatabase("grpc_" + id.replace('-', '_'));
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION steep_repl");
        }
        return new TestNode(id, priority, freePort(), db, dataSource(pg, db), pki.node(id), peers);
    }

    /** A small pool, as the daemon has: a new PostgreSQL session per query would dominate heartbeat times. */
    static HikariDataSource dataSource(PgServer pg, String db) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(pg.jdbcUrl(db));
        c.setUsername(pg.superuser());
        if (!pg.password().isEmpty()) {
            c.setPassword(pg.password());
        }
        c.setMaximumPoolSize(4);
        c.setMinimumIdle(1);
        c.setConnectionTimeout(2000);
        c.setPoolName("test-" + db);
        return new HikariDataSource(c);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    PeerAddress address() {
        return new PeerAddress("127.0.0.1", port);
    }

    TestNode start() throws IOException {
        LocalNode self = new LocalNode(id, "Node " + id, "127.0.0.1", port, priority);
        GrpcSettings grpc = new GrpcSettings("127.0.0.1", port, bundle.cert(), bundle.key(), bundle.ca(), false);
        ClusterSettings cluster = new ClusterSettings(peers, INTERVAL, UNREACHABLE_AFTER, INTERVAL,
                Duration.ofSeconds(10));
        node = CoordinatorNode.create(self, grpc, cluster, dataSource, "test");
        node.start();
        return this;
    }

    void stop() {
        if (node != null) {
            node.stop();
            node = null;
        }
    }

    CoordinatorNode node() {
        return node;
    }

    /** This node's table, by node id. */
    Map<String, NodeRecord> table() throws SQLException {
        return node == null ? new io.steep.repl.daemon.cluster.NodeRepository(dataSource, "test", Duration.ZERO).list()
                .stream().collect(Collectors.toMap(NodeRecord::nodeId, Function.identity()))
                : node.repository().list().stream().collect(Collectors.toMap(NodeRecord::nodeId, Function.identity()));
    }

    Optional<NodeStatus> statusOf(String nodeId) throws SQLException {
        return Optional.ofNullable(table().get(nodeId)).map(NodeRecord::status);
    }

    Optional<String> coordinator() throws SQLException {
        return table().values().stream().filter(NodeRecord::coordinator).map(NodeRecord::nodeId).findFirst();
    }

    @Override
    public void close() {
        stop();
        dataSource.close();
    }
}
