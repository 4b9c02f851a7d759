package io.steep.repl.daemon.cluster;

/**
 * This daemon as the cluster sees it: the id its certificate names, a display name, the host and gRPC port
 * peers should dial (which may differ from the bind address, e.g. behind NAT), and its election priority.
 */
public record LocalNode(String nodeId, String nodeName, String advertisedHost, int grpcPort, int priority) {

    public LocalNode {
        NodeFields.requireNodeId("node_id", nodeId);
        nodeName = nodeName == null || nodeName.isBlank() ? nodeId : NodeFields.requireName("node_name", nodeName);
        NodeFields.requireHost("host", advertisedHost);
        NodeFields.requirePort("grpc.port", grpcPort);
        NodeFields.requirePriority("priority", priority);
    }

    public PeerAddress address() {
        return new PeerAddress(advertisedHost, grpcPort);
    }

    /** The actor recorded in audit rows this daemon writes. */
    public String actor() {
        return "steep-repl@" + nodeId;
    }
}
