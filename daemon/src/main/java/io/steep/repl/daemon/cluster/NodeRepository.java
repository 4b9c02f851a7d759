package io.steep.repl.daemon.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@code steep_repl.nodes} of this node's database. Every write runs in a transaction that first names the actor
 * ({@code steep_repl.actor}, transaction-local) so the extension's audit triggers record this daemon, not the pool
 * role, whatever the pool's connection setup.
 *
 * <p>Audit volume: the nodes trigger writes one audit row per UPDATE that changes a value. A status change is
 * written at once; {@code last_seen} alone is rewritten at most once per {@code lastSeenResolution} per node, so a
 * steady cluster adds a few rows a minute, not one per heartbeat. {@code offline} is never overwritten by
 * heartbeats or registrations: only {@link #setStatusByAdmin} changes it.
 */
public final class NodeRepository {

    private static final String COLUMNS = "node_id, node_name, host, port, priority, is_coordinator, last_seen, status";

    /** What {@link #elect} decided. */
    public record ElectionOutcome(Optional<String> previous, Optional<String> current) {
        public boolean changed() {
            return !previous.equals(current);
        }
    }

    private final DataSource dataSource;
    private final String actor;
    private final Duration lastSeenResolution;

    public NodeRepository(DataSource dataSource, String actor, Duration lastSeenResolution) {
        this.dataSource = dataSource;
        this.actor = actor;
        this.lastSeenResolution = lastSeenResolution;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("SELECT set_config('steep_repl.actor', ?, true)")) {
                    ps.setString(1, actor);
                    ps.execute();
                }
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            } finally {
                try {
                    c.setAutoCommit(auto);
                } catch (SQLException ignored) {
                    // the connection is broken; the pool will discard it
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ reads

    public List<NodeRecord> list() throws SQLException {
        return list(List.of());
    }

    /** All nodes, or those whose status is in {@code statuses}; ordered as upstream: priority desc, node id. */
    public List<NodeRecord> list(Collection<NodeStatus> statuses) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM steep_repl.nodes"
                + (statuses.isEmpty() ? "" : " WHERE status = ANY (?)") + " ORDER BY priority DESC, node_id";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (!statuses.isEmpty()) {
                ps.setArray(1, c.createArrayOf("text", statuses.stream().map(NodeStatus::sql).toArray()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<NodeRecord> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(read(rs));
                }
                return out;
            }
        }
    }

    public Optional<NodeRecord> find(String nodeId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM steep_repl.nodes WHERE node_id = ?")) {
            ps.setString(1, nodeId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    public Optional<String> coordinatorId() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT node_id FROM steep_repl.nodes WHERE is_coordinator");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    private static NodeRecord read(ResultSet rs) throws SQLException {
        Timestamp seen = rs.getTimestamp("last_seen");
        return new NodeRecord(rs.getString("node_id"), rs.getString("node_name"), rs.getString("host"),
                rs.getInt("port"), rs.getInt("priority"), rs.getBoolean("is_coordinator"),
                seen == null ? null : seen.toInstant(), NodeStatus.fromSql(rs.getString("status")));
    }

    // ------------------------------------------------------------------------------------------------ writes

    /**
     * This daemon's own row: healthy (it is running and its database answers), with its current name, address
     * and priority. An administrator's offline stays.
     */
    public void upsertSelf(LocalNode self) throws SQLException {
        inTransaction(c -> upsert(c, self.nodeId(), self.nodeName(), self.advertisedHost(), self.grpcPort(),
                self.priority(), NodeStatus.HEALTHY));
    }

    /**
     * A node that proved it is alive (it registered with us, or answered our registration): insert or update its
     * name, address and priority and mark it healthy, unless an administrator set it offline.
     */
    public void register(String nodeId, String nodeName, String host, int port, int priority) throws SQLException {
        inTransaction(c -> upsert(c, nodeId, nodeName, host, port, priority, NodeStatus.HEALTHY));
    }

    private int upsert(Connection c, String nodeId, String nodeName, String host, int port, int priority,
                       NodeStatus status) throws SQLException {
        // The WHERE keeps a no-change registration from writing a row (and an audit row), and keeps offline.
        String sql = """
                INSERT INTO steep_repl.nodes AS n (node_id, node_name, host, port, priority, last_seen, status)
                VALUES (?, ?, ?, ?, ?, now(), ?)
                ON CONFLICT (node_id) DO UPDATE SET
                    node_name = EXCLUDED.node_name, host = EXCLUDED.host, port = EXCLUDED.port,
                    priority = EXCLUDED.priority,
                    status = CASE WHEN n.status = 'offline' THEN n.status ELSE EXCLUDED.status END,
                    last_seen = CASE WHEN n.status = 'offline' THEN n.last_seen ELSE now() END
                WHERE (n.node_name, n.host, n.port, n.priority) IS DISTINCT FROM
                      (EXCLUDED.node_name, EXCLUDED.host, EXCLUDED.port, EXCLUDED.priority)
                   OR (n.status <> 'offline' AND (n.status <> EXCLUDED.status OR n.last_seen IS NULL
                       OR n.last_seen < now() - make_interval(secs => ?)))
                """;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, nodeId);
            ps.setString(2, nodeName);
            ps.setString(3, host);
            ps.setInt(4, port);
            ps.setInt(5, priority);
            ps.setString(6, status.sql());
            ps.setDouble(7, seconds(lastSeenResolution));
            return ps.executeUpdate();
        }
    }

    /**
     * A node we heard about from a peer but have not talked to: inserted as {@code unknown} if absent, left alone
     * otherwise (our own heartbeats decide its status).
     */
    public boolean learn(NodeRecord node) throws SQLException {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO steep_repl.nodes (node_id, node_name, host, port, priority, status)
                    VALUES (?, ?, ?, ?, ?, 'unknown') ON CONFLICT (node_id) DO NOTHING""")) {
                ps.setString(1, node.nodeId());
                ps.setString(2, node.nodeName());
                ps.setString(3, node.host());
                ps.setInt(4, node.port());
                ps.setInt(5, node.priority());
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * The result of this node's heartbeat to a peer: the new status, and whether the peer answered (then
     * {@code last_seen} advances, throttled). Returns whether the row changed. Offline rows are never touched.
     */
    public boolean recordProbe(String nodeId, NodeStatus status, boolean answered) throws SQLException {
        if (status == NodeStatus.OFFLINE) {
            throw new IllegalArgumentException("heartbeats never set offline; use setStatusByAdmin");
        }
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE steep_repl.nodes
                       SET status = ?, last_seen = CASE WHEN ? THEN now() ELSE last_seen END
                     WHERE node_id = ? AND status <> 'offline'
                       AND (status <> ? OR (? AND (last_seen IS NULL
                                                   OR last_seen < now() - make_interval(secs => ?))))""")) {
                ps.setString(1, status.sql());
                ps.setBoolean(2, answered);
                ps.setString(3, nodeId);
                ps.setString(4, status.sql());
                ps.setBoolean(5, answered);
                ps.setDouble(6, seconds(lastSeenResolution));
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** A heartbeat received from {@code nodeId}: {@code last_seen} only (throttled). Returns whether the node is known. */
    public boolean touchLastSeen(String nodeId) throws SQLException {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE steep_repl.nodes SET last_seen = now()
                     WHERE node_id = ? AND status <> 'offline'
                       AND (last_seen IS NULL OR last_seen < now() - make_interval(secs => ?))""")) {
                ps.setString(1, nodeId);
                ps.setDouble(2, seconds(lastSeenResolution));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM steep_repl.nodes WHERE node_id = ?")) {
                ps.setString(1, nodeId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /**
     * An administrator's status change (e.g. {@code offline}, or back to {@code unknown}). The only way in or out
     * of offline. Returns false when the node does not exist.
     */
    public boolean setStatusByAdmin(String nodeId, NodeStatus status) throws SQLException {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE steep_repl.nodes SET status = ? WHERE node_id = ?")) {
                ps.setString(1, status.sql());
                ps.setString(2, nodeId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Applies {@link CoordinatorElection} to the current rows in one transaction: the rows are locked, the old
     * coordinator cleared before the new one is set (the unique partial index {@code idx_nodes_coordinator} allows
     * one true row at a time), and a {@code coordinator.elected} audit row records the change. When no node is
     * eligible the sitting coordinator, if any, is left in place: this node's own row is healthy while it runs, so
     * that only happens when an administrator has set it offline and no peer answers.
     */
    public ElectionOutcome elect() throws SQLException {
        return inTransaction(c -> {
            List<NodeRecord> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM steep_repl.nodes ORDER BY node_id FOR UPDATE");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(read(rs));
                }
            }
            Optional<NodeRecord> sitting = rows.stream().filter(NodeRecord::coordinator).findFirst();
            Optional<NodeRecord> winner = CoordinatorElection.choose(rows);
            Optional<String> before = sitting.map(NodeRecord::nodeId);
            if (winner.isEmpty() || winner.map(NodeRecord::nodeId).equals(before)) {
                return new ElectionOutcome(before, before);
            }
            NodeRecord w = winner.get();
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE steep_repl.nodes SET is_coordinator = false WHERE is_coordinator")) {
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE steep_repl.nodes SET is_coordinator = true WHERE node_id = ?")) {
                ps.setString(1, w.nodeId());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO steep_repl.audit_log (action, actor, target_type, target_id, old_value, new_value)
                    VALUES ('coordinator.elected', steep_repl.current_actor(), 'node', ?,
                            CASE WHEN ?::text IS NULL THEN NULL
                                 ELSE jsonb_build_object('coordinator', ?::text, 'status', ?::text) END,
                            jsonb_build_object('coordinator', ?::text, 'priority', ?::int))""")) {
                ps.setString(1, w.nodeId());
                ps.setString(2, before.orElse(null));
                ps.setString(3, before.orElse(null));
                ps.setString(4, sitting.map(n -> n.status().sql()).orElse(null));
                ps.setString(5, w.nodeId());
                ps.setInt(6, w.priority());
                ps.executeUpdate();
            }
            return new ElectionOutcome(before, Optional.of(w.nodeId()));
        });
    }

    /**
     * A refused call, audited with success = false. Written directly (not through triggers) because nothing in
     * the tables changed; {@code actor} is who the caller's certificate says it is, at its address.
     */
    public void auditRefused(String action, String actor, String targetId, String clientIp, String reason)
            throws SQLException {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO steep_repl.audit_log (action, actor, target_type, target_id, client_ip, success,
                                                      error_message)
                    VALUES (?, ?, 'node', ?, ?::inet, false, ?)""")) {
                ps.setString(1, action);
                ps.setString(2, actor);
                ps.setString(3, targetId);
                ps.setString(4, clientIp);
                ps.setString(5, reason);
                return ps.executeUpdate();
            }
        });
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
