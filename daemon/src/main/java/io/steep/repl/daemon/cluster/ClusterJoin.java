package io.steep.repl.daemon.cluster;

import io.steep.repl.proto.v1.HealthCheckRequest;
import io.steep.repl.proto.v1.HealthCheckResponse;
import io.steep.repl.proto.v1.NodeInfo;
import io.steep.repl.proto.v1.RegisterNodeRequest;
import io.steep.repl.proto.v1.RegisterNodeResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Joining a peer: register this node with it ({@code RegisterNode}), learn who it is ({@code HealthCheck}; with
 * mTLS the id must match its certificate), then record it in this node's table as healthy, and record the other
 * nodes it knows as {@code unknown} so our heartbeats find them. Used at start for each {@code cluster.peers}
 * entry, by the IPC method {@code nodes.join} and by {@code steep-repl node join}.
 */
public final class ClusterJoin {

    /** What joining found: the peer's id, its view of the cluster and its coordinator (empty if none). */
    public record Joined(String peerId, List<NodeInfo> nodes, String coordinatorId) {
    }

    /** The peer answered but refused or could not register us (e.g. its PostgreSQL is down). */
    public static final class JoinRefusedException extends RuntimeException {
        public JoinRefusedException(String message) {
            super(message);
        }
    }

    private final LocalNode self;
    private final PeerTransport transport;
    private final Duration deadline;

    public ClusterJoin(LocalNode self, PeerTransport transport, Duration deadline) {
        this.self = self;
        this.transport = transport;
        this.deadline = deadline;
    }

    public RegisterNodeRequest registration() {
        return RegisterNodeRequest.newBuilder().setNodeId(self.nodeId()).setNodeName(self.nodeName())
                .setHost(self.advertisedHost()).setPort(self.grpcPort()).setPriority(self.priority()).build();
    }

    /** Registers with {@code peer} only, without a local table (the CLI's {@code node join}). */
    public Joined announce(PeerAddress peer) {
        RegisterNodeResponse registered = transport.register(peer, registration(), deadline);
        if (!registered.getSuccess()) {
            throw new JoinRefusedException(peer + " refused the registration: " + registered.getError());
        }
        HealthCheckResponse health = transport.health(peer, HealthCheckRequest.getDefaultInstance(), deadline);
        String peerId = health.getNodeId();
        Optional<String> certified = transport.verifiedIdentity(peer);
        if (certified.isPresent() && !certified.get().equals(peerId)) {
            throw new JoinRefusedException(peer + " says it is node '" + peerId + "' but its certificate names '"
                    + certified.get() + "'");
        }
        if (peerId.equals(self.nodeId())) {
            throw new JoinRefusedException(peer + " is this node itself (" + peerId + ")");
        }
        return new Joined(peerId, registered.getNodesList(), registered.getCoordinatorId());
    }

    /** {@link #announce}, then records the peer (healthy) and the nodes it knows (unknown) in {@code repository}. */
    public Joined join(PeerAddress peer, NodeRepository repository) throws SQLException {
        Joined joined = announce(peer);
        NodeInfo own = joined.nodes().stream().filter(n -> n.getNodeId().equals(joined.peerId())).findFirst()
                .orElse(null);
        String name = own != null && !own.getNodeName().isBlank() ? own.getNodeName() : joined.peerId();
        int priority = own != null && own.getPriority() >= NodeFields.MIN_PRIORITY
                && own.getPriority() <= NodeFields.MAX_PRIORITY ? own.getPriority() : NodeFields.DEFAULT_PRIORITY;
        // the address we dialed is known to work; the peer's advertised one may not be reachable from here
        repository.register(joined.peerId(), name, peer.host(), peer.port(), priority);
        for (NodeInfo n : joined.nodes()) {
            if (n.getNodeId().equals(self.nodeId()) || n.getNodeId().equals(joined.peerId())) {
                continue;
            }
            try {
                NodeFields.requireNodeId("node_id", n.getNodeId());
                NodeFields.requireHost("host", n.getHost());
                NodeFields.requirePort("port", n.getPort());
                int p = n.getPriority() >= NodeFields.MIN_PRIORITY && n.getPriority() <= NodeFields.MAX_PRIORITY
                        ? n.getPriority() : NodeFields.DEFAULT_PRIORITY;
                repository.learn(new NodeRecord(n.getNodeId(), n.getNodeName().isBlank() ? n.getNodeId()
                        : n.getNodeName(), n.getHost(), n.getPort(), p, false, null, NodeStatus.UNKNOWN));
            } catch (InvalidFieldException ignored) {
                // a peer's bad row is its problem; we only learn nodes we could dial
            }
        }
        return joined;
    }
}
