package io.steep.repl.daemon.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.ipc.IpcErrorCode;
import io.steep.repl.ipc.IpcException;
import io.steep.repl.ipc.IpcMethods;
import io.steep.repl.ipc.message.NodesGetResult;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** {@code nodes.get}: one node by {@code node_id}; {@code NODE_NOT_FOUND} when it is not registered. */
public record NodesGetMethod(DataSource dataSource) implements IpcMethod {

    @Override
    public String name() {
        return IpcMethods.NODES_GET;
    }

    @Override
    public Object handle(JsonNode params, CallContext ctx) throws IpcException {
        String nodeId = Params.requiredString(params, "node_id");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + NodeRows.COLUMNS + " FROM steep_repl.nodes WHERE node_id = ?")) {
            ps.setString(1, nodeId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IpcException(IpcErrorCode.NODE_NOT_FOUND, "node \"" + (nodeId.length() > 100 ? nodeId.substring(0, 100) + "…" : nodeId)
                            + "\" is not registered in this cluster; nodes.list shows the registered nodes");
                }
                return new NodesGetResult(NodeRows.read(rs));
            }
        } catch (SQLException e) {
            throw SqlFailures.toIpc(e, "reading node " + nodeId);
        }
    }
}
