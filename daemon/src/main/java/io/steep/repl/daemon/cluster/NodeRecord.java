package io.steep.repl.daemon.cluster;

import java.time.Instant;

/**
 * One row of {@code steep_repl.nodes}. {@code port} is the node's gRPC port (see docs/cluster.md, "Ports"):
 * the address peers dial, which is what {@code RegisterNode.port} carries on the wire.
 */
public record NodeRecord(String nodeId, String nodeName, String host, int port, int priority,
                         boolean coordinator, Instant lastSeen, NodeStatus status) {

    public PeerAddress address() {
        return new PeerAddress(host, port);
    }
}
