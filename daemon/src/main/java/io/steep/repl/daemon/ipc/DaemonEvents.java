package io.steep.repl.daemon.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.daemon.db.PgStatus;
import io.steep.repl.ipc.IpcEvent;
import io.steep.repl.ipc.IpcJson;
import io.steep.repl.ipc.JsonTrees;
import io.steep.repl.ipc.message.AuditEntry;
import io.steep.repl.ipc.message.HealthResult;
import io.steep.repl.ipc.message.NodeInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Feeds {@code events.subscribe}: {@code status.changed}/{@code health.changed} when PostgreSQL's state or the
 * overall health changes, and {@code audit.appended}/{@code node.changed} for new audit rows. Node changes are
 * read from the audit trail because the extension's triggers audit every change of {@code steep_repl.nodes},
 * whoever made it (heartbeats, an election, a DBA with psql) — one source, nothing missed.
 *
 * <p>The audit tail reads {@code audit_log} past the last id it has seen once per {@code interval}, and only
 * while somebody is subscribed: the tray is pushed to, it never polls the daemon.
 */
public final class DaemonEvents implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DaemonEvents.class);

    private final EventBroadcaster events;
    private final DaemonStatusSource source;
    private final DataSource dataSource;
    private final Duration interval;
    private volatile String lastHealth;
    private volatile long lastAuditId = -1;
    private Thread tail;
    private volatile boolean running;

    public DaemonEvents(EventBroadcaster events, DaemonStatusSource source, DataSource dataSource, Duration interval) {
        this.events = events;
        this.source = source;
        this.dataSource = dataSource;
        this.interval = interval;
    }

    public void start() {
        running = true;
        tail = Thread.ofVirtual().name("ipc-event-tail").start(this::run);
    }

    /** Database monitor listener: every PostgreSQL state change is a status change. */
    public void onPostgres(PgStatus ignored) {
        if (events.subscriberCount() == 0) {
            return;
        }
        events.publish(IpcEvent.STATUS_CHANGED, source.status());
        healthMaybeChanged();
    }

    private void healthMaybeChanged() {
        HealthResult h = source.health();
        String key = h.status() + h.components().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().healthy() + "/" + e.getValue().status()).toList();
        if (!Objects.equals(key, lastHealth)) {
            lastHealth = key;
            events.publish(IpcEvent.HEALTH_CHANGED, h);
        }
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(interval);
                if (events.subscriberCount() == 0) {
                    lastAuditId = -1; // re-anchor at the end of the log when somebody subscribes again
                    continue;
                }
                healthMaybeChanged();
                if (source.ctx().database().status().ready()) {
                    tailAudit();
                }
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                LOG.debug("event tail: {}", e.getMessage());
            }
        }
    }

    private void tailAudit() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (lastAuditId < 0) {
                anchor(c);
                return;
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT id, occurred_at, action, actor, target_type, target_id, success, error_message,
                           old_value::text AS old_value, new_value::text AS new_value
                    FROM steep_repl.audit_log WHERE id > ? ORDER BY id LIMIT 500""")) {
                ps.setLong(1, lastAuditId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lastAuditId = rs.getLong("id");
                        AuditEntry entry = new AuditEntry(lastAuditId, rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                                rs.getString("action"), rs.getString("actor"), rs.getString("target_type"),
                                rs.getString("target_id"), rs.getBoolean("success"), rs.getString("error_message"));
                        events.publish(IpcEvent.AUDIT_APPENDED, entry);
                        nodeChange(entry.action(), rs.getString("old_value"), rs.getString("new_value"));
                    }
                }
            }
        }
    }

    /**
     * Starts the tail at the end of the audit log, and sends every registered node as {@code node.changed}
     * "updated" from the same snapshot. A subscriber loads its node list right after subscribing, but the tail
     * anchors up to one interval later (or only once PostgreSQL is ready, when the subscriber came first, as the
     * tray does when it starts with the daemon): a node registered in between would be in neither, and the tray
     * would never show it. What the snapshot holds is sent; what comes after is tailed; duplicates only refresh a
     * row the subscriber already has.
     */
    private void anchor(Connection c) throws SQLException {
        // one snapshot for the log's end and the nodes (the pool resets the connection's settings on return)
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c.setReadOnly(true);
        try {
            long anchor;
            try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(id), 0) FROM steep_repl.audit_log");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                anchor = rs.getLong(1);
            }
            List<NodeInfo> nodes = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + NodeRows.COLUMNS + " FROM steep_repl.nodes" + NodeRows.ORDER);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    nodes.add(NodeRows.read(rs));
                }
            }
            c.commit();
            lastAuditId = anchor;
            nodes.forEach(n -> events.publish(IpcEvent.NODE_CHANGED, nodeChanged("updated", n)));
        } finally {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        }
    }

    /** {@code {"change","node"}}, a tree (IpcJson.tree builds the node's): pushing it binds no records. */
    private static ObjectNode nodeChanged(String change, NodeInfo node) {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("change", change);
        data.set("node", IpcJson.tree(node));
        return data;
    }

    private void nodeChange(String action, String oldValue, String newValue) {
        String change = switch (action) {
            case "node.registered" -> "registered";
            case "node.updated" -> "updated";
            case "node.removed" -> "removed";
            default -> null;
        };
        if (change == null) {
            return;
        }
        try {
            JsonNode row = JsonTrees.read(change.equals("removed") ? oldValue : newValue);
            if (row.isMissingNode() || row.isNull()) {
                return;
            }
            NodeInfo node = new NodeInfo(row.path("node_id").asText(), row.path("node_name").asText(),
                    row.path("host").asText(), row.path("port").asInt(), row.path("priority").asInt(),
                    row.path("is_coordinator").asBoolean(), lastSeen(row.get("last_seen")), row.path("status").asText());
            events.publish(IpcEvent.NODE_CHANGED, nodeChanged(change, node));
        } catch (java.io.IOException | RuntimeException e) {
            LOG.debug("node.changed: unreadable audit row: {}", e.getMessage());
        }
    }

    private static Instant lastSeen(JsonNode v) {
        return v == null || v.isNull() ? null : OffsetDateTime.parse(v.asText()).toInstant();
    }

    @Override
    public void close() {
        running = false;
        if (tail != null) {
            tail.interrupt();
        }
    }
}
