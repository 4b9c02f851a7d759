package io.steep.repl.daemon.ipc;

import io.steep.repl.daemon.cluster.ClusterJoin;
import io.steep.repl.daemon.cluster.PeerAddress;

import java.sql.SQLException;

/**
 * What {@code nodes.join} does once the address is parsed: in the daemon, {@code coordinatorNode::join} (register
 * with the peer over gRPC, record it locally). A seam so the method's error mapping is tested without a cluster.
 *
 * <p>Throws {@link io.steep.repl.daemon.cluster.PeerTransport.PeerCallException} when the peer cannot be reached,
 * {@link ClusterJoin.JoinRefusedException} when it refuses, {@link SQLException} when the local database fails.
 */
@FunctionalInterface
public interface JoinAction {

    ClusterJoin.Joined join(PeerAddress peer) throws SQLException;
}
