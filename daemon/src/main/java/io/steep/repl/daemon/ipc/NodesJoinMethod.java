package io.steep.repl.daemon.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.daemon.cluster.ClusterJoin;
import io.steep.repl.daemon.cluster.InvalidFieldException;
import io.steep.repl.daemon.cluster.PeerAddress;
import io.steep.repl.daemon.cluster.PeerTransport;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.ipc.IpcErrorCode;
import io.steep.repl.ipc.IpcException;
import io.steep.repl.ipc.IpcMethods;
import io.steep.repl.proto.v1.NodeInfo;

import java.sql.SQLException;
import java.time.Instant;

/**
 * {@code nodes.join {address}}: register this node with the peer at {@code address} over gRPC and record the peer
 * (and the nodes it knows) in this node's table — what {@code cluster.peers} does at start, on demand.
 */
final class NodesJoinMethod implements IpcMethod {

    private final DaemonConfig config;
    private final JoinAction join;

    NodesJoinMethod(DaemonConfig config, JoinAction join) {
        this.config = config;
        this.join = join;
    }

    @Override
    public String name() {
        return IpcMethods.NODES_JOIN;
    }

    @Override
    public Access access() {
        return Access.PRIVILEGED;
    }

    @Override
    public Object handle(JsonNode params, CallContext ctx) throws IpcException {
        String text = Params.requiredString(params, "address");
        PeerAddress peer;
        try {
            peer = PeerAddress.parse("address", text);
        } catch (InvalidFieldException e) {
            throw Params.invalid("params." + e.getMessage());
        }
        if (!config.grpc().enabled() || join == null) {
            throw new IpcException(IpcErrorCode.UNAVAILABLE, "this node's gRPC server is "
                    + (config.grpc().enabled() ? "not running yet; retry in a moment" : "disabled (grpc.enabled: false),"
                    + " so it cannot join a cluster; set grpc.enabled: true and grpc.tls in the config and restart the daemon"));
        }
        ClusterJoin.Joined joined;
        try {
            joined = join.join(peer);
        } catch (InvalidFieldException e) {
            throw Params.invalid("params." + e.getMessage());
        } catch (PeerTransport.PeerCallException e) {
            throw new IpcException(IpcErrorCode.PEER_UNAVAILABLE, "cannot reach " + peer + " (" + e.code() + "): "
                    + e.getMessage() + "; check the address, that steep-repl runs there, that its gRPC port is open from"
                    + " here and that both nodes' certificates come from the same cluster CA", e);
        } catch (ClusterJoin.JoinRefusedException e) {
            throw new IpcException(IpcErrorCode.PEER_REFUSED, e.getMessage(), e);
        } catch (SQLException e) {
            throw SqlFailures.toIpc(e, "recording the joined peer " + peer);
        }
        ObjectNode result = JsonNodeFactory.instance.objectNode()
                .put("address", peer.toString())
                .put("peer_id", joined.peerId())
                .put("coordinator_id", joined.coordinatorId() == null || joined.coordinatorId().isEmpty()
                        ? null : joined.coordinatorId());
        ArrayNode nodes = result.putArray("nodes");
        for (NodeInfo n : joined.nodes()) {
            ObjectNode o = nodes.addObject()
                    .put("node_id", n.getNodeId())
                    .put("node_name", n.getNodeName())
                    .put("host", n.getHost())
                    .put("port", n.getPort())
                    .put("priority", n.getPriority())
                    .put("is_coordinator", n.getIsCoordinator())
                    .put("status", n.getStatus().isEmpty() ? "unknown" : n.getStatus());
            o.put("last_seen", n.hasLastSeen()
                    ? Instant.ofEpochSecond(n.getLastSeen().getSeconds(), n.getLastSeen().getNanos()).toString() : null);
        }
        return result;
    }
}
