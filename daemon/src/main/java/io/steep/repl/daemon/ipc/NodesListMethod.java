package io.steep.repl.daemon.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.ipc.IpcException;
import io.steep.repl.ipc.IpcMethods;
import io.steep.repl.ipc.message.NodeInfo;
import io.steep.repl.ipc.message.NodesListResult;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * {@code nodes.list}: registered nodes, highest priority first; {@code status_filter} keeps nodes in any of the
 * given statuses. {@code coordinator_id} is the cluster's coordinator even when the filter hides its row.
 */
public record NodesListMethod(DataSource dataSource) implements IpcMethod {

    @Override
    public String name() {
        return IpcMethods.NODES_LIST;
    }

    @Override
    public Object handle(JsonNode params, CallContext ctx) throws IpcException {
        List<String> filter = Params.stringList(params, "status_filter");
        for (String s : filter) {
            if (!NodeInfo.STATUSES.contains(s)) {
                throw Params.invalid("params.status_filter: \"" + s + "\" is not a node status; use any of " + NodeInfo.STATUSES);
            }
        }
        String[] statuses = new LinkedHashSet<>(filter).toArray(String[]::new);
        try (Connection c = dataSource.getConnection()) {
            // one snapshot for the rows and the coordinator
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                List<NodeInfo> nodes = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT " + NodeRows.COLUMNS + " FROM steep_repl.nodes"
                        + " WHERE cardinality(?::text[]) = 0 OR status = ANY (?::text[])" + NodeRows.ORDER)) {
                    ps.setArray(1, c.createArrayOf("text", statuses));
                    ps.setArray(2, c.createArrayOf("text", statuses));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            nodes.add(NodeRows.read(rs));
                        }
                    }
                }
                String coordinator = null;
                try (PreparedStatement ps = c.prepareStatement("SELECT node_id FROM steep_repl.nodes WHERE is_coordinator");
                     ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        coordinator = rs.getString(1);
                    }
                }
                c.commit();
                return new NodesListResult(nodes, coordinator);
            } finally {
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
            }
        } catch (SQLException e) {
            throw SqlFailures.toIpc(e, "listing nodes");
        }
    }
}
