package io.steep.repl.daemon.ipc;

import io.steep.repl.ipc.message.NodeInfo;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/** Reads {@code steep_repl.nodes} rows. */
final class NodeRows {

    static final String COLUMNS = "node_id, node_name, host, port, priority, is_coordinator, last_seen, status";
    /** The order nodes are listed in everywhere: highest priority first. */
    static final String ORDER = " ORDER BY priority DESC, node_id";

    private NodeRows() {
    }

    static NodeInfo read(ResultSet rs) throws SQLException {
        OffsetDateTime seen = rs.getObject("last_seen", OffsetDateTime.class);
        return new NodeInfo(rs.getString("node_id"), rs.getString("node_name"), rs.getString("host"), rs.getInt("port"),
                rs.getInt("priority"), rs.getBoolean("is_coordinator"), seen == null ? null : seen.toInstant(), rs.getString("status"));
    }
}
