package io.steep.repl.daemon.grpc;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.steep.repl.daemon.cluster.InvalidFieldException;
import io.steep.repl.daemon.cluster.LocalNode;
import io.steep.repl.daemon.cluster.NodeFields;
import io.steep.repl.daemon.cluster.NodeRecord;
import io.steep.repl.daemon.cluster.NodeRepository;
import io.steep.repl.daemon.cluster.NodeStatus;
import io.steep.repl.daemon.cluster.PostgresProbe;
import io.steep.repl.proto.v1.ComponentHealth;
import io.steep.repl.proto.v1.CoordinatorGrpc;
import io.steep.repl.proto.v1.GetNodesRequest;
import io.steep.repl.proto.v1.GetNodesResponse;
import io.steep.repl.proto.v1.HealthCheckRequest;
import io.steep.repl.proto.v1.HealthCheckResponse;
import io.steep.repl.proto.v1.HeartbeatRequest;
import io.steep.repl.proto.v1.HeartbeatResponse;
import io.steep.repl.proto.v1.NodeInfo;
import io.steep.repl.proto.v1.RegisterNodeRequest;
import io.steep.repl.proto.v1.RegisterNodeResponse;
import java.net.SocketAddress;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code steep.repl.v1.Coordinator}, upstream's four methods with upstream's answers, plus what upstream lacks:
 * input validation ({@code INVALID_ARGUMENT} naming the field) and the identity rule — the node id a
 * {@code RegisterNode} or {@code Heartbeat} claims must be the one in the caller's certificate, else
 * {@code PERMISSION_DENIED}, an audit row with success = false, and a (rate-limited) log line.
 *
 * <p>An incoming heartbeat moves the caller's {@code last_seen} only; its status is decided by this node's own
 * heartbeats to it, so two writers never fight over one row.
 */
public final class CoordinatorService extends CoordinatorGrpc.CoordinatorImplBase {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorService.class);

    private final LocalNode self;
    private final NodeRepository repository;
    private final PostgresProbe postgres;
    private final ConnectionLog log;
    private final boolean tlsEnabled;
    private final String version;
    private final Instant startedAt;

    public CoordinatorService(LocalNode self, NodeRepository repository, PostgresProbe postgres, ConnectionLog log,
                              boolean tlsEnabled, String version, Instant startedAt) {
        this.self = self;
        this.repository = repository;
        this.postgres = postgres;
        this.log = log;
        this.tlsEnabled = tlsEnabled;
        this.version = version;
        this.startedAt = startedAt;
    }

    @Override
    public void healthCheck(HealthCheckRequest request, StreamObserver<HealthCheckResponse> out) {
        PostgresProbe.PostgresState pg = postgres.check();
        HealthCheckResponse response = HealthCheckResponse.newBuilder()
                .setStatus(pg.connected() ? HealthCheckResponse.ServingStatus.SERVING
                        : HealthCheckResponse.ServingStatus.NOT_SERVING)
                .putComponents("postgresql", ComponentHealth.newBuilder().setHealthy(pg.connected())
                        .setStatus(pg.connected() ? "connected" : "disconnected")
                        .setMessage(pg.connected() ? "PostgreSQL " + pg.version() : pg.message()).build())
                .putComponents("grpc", ComponentHealth.newBuilder().setHealthy(true).setStatus("serving")
                        .setMessage(tlsEnabled ? "mutual TLS 1.3" : "plaintext (grpc.tls.insecure)").build())
                .setNodeId(self.nodeId())
                .setNodeName(self.nodeName())
                .setVersion(version)
                .setUptimeSince(timestamp(startedAt))
                .build();
        out.onNext(response);
        out.onCompleted();
    }

    @Override
    public void registerNode(RegisterNodeRequest request, StreamObserver<RegisterNodeResponse> out) {
        String name;
        int priority;
        try {
            NodeFields.requireNodeId("node_id", request.getNodeId());
            name = request.getNodeName().isBlank() ? request.getNodeId()
                    : NodeFields.requireName("node_name", request.getNodeName());
            NodeFields.requireHost("host", request.getHost());
            NodeFields.requirePort("port", request.getPort());
            // proto3 cannot tell 0 from "not sent": 0 means the default, like upstream's column default
            priority = request.getPriority() == 0 ? NodeFields.DEFAULT_PRIORITY
                    : NodeFields.requirePriority("priority", request.getPriority());
        } catch (InvalidFieldException e) {
            refuse(out, "RegisterNode", Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
            return;
        }
        if (!callerMayClaim(request.getNodeId(), "RegisterNode", "node.registered", out)) {
            return;
        }
        if (request.getNodeId().equals(self.nodeId())) {
            refuse(out, "RegisterNode", Status.INVALID_ARGUMENT.withDescription(
                    "node_id: '" + self.nodeId() + "' is this node's own id"));
            return;
        }
        RegisterNodeResponse.Builder response = RegisterNodeResponse.newBuilder();
        try {
            repository.register(request.getNodeId(), name, request.getHost(), request.getPort(), priority);
            LOG.info("cluster: node {} registered from {} ({}:{}, priority {})", request.getNodeId(),
                    ConnectionLog.describe(CallerIdentity.address()), request.getHost(), request.getPort(), priority);
            List<NodeRecord> nodes = repository.list();
            response.setSuccess(true).addAllNodes(nodes.stream().map(CoordinatorService::info).toList())
                    .setCoordinatorId(coordinator(nodes));
        } catch (SQLException e) {
            // upstream's shape: the call succeeds at the transport level and says why it could not register
            response.setSuccess(false).setError("PostgreSQL not available: " + e.getMessage());
        }
        out.onNext(response.build());
        out.onCompleted();
    }

    @Override
    public void getNodes(GetNodesRequest request, StreamObserver<GetNodesResponse> out) {
        List<NodeStatus> filter = new ArrayList<>();
        for (String s : request.getStatusFilterList()) {
            Optional<NodeStatus> parsed = NodeStatus.parse(s);
            if (parsed.isEmpty()) {
                refuse(out, "GetNodes", Status.INVALID_ARGUMENT.withDescription("status_filter: '"
                        + s.replaceAll("\\p{Cntrl}", "") + "' is not one of unknown, healthy, degraded, unreachable, offline"));
                return;
            }
            filter.add(parsed.get());
        }
        try {
            List<NodeRecord> nodes = repository.list(filter);
            out.onNext(GetNodesResponse.newBuilder().addAllNodes(nodes.stream().map(CoordinatorService::info).toList())
                    .setCoordinatorId(repository.coordinatorId().orElse("")).build());
            out.onCompleted();
        } catch (SQLException e) {
            out.onError(Status.UNAVAILABLE.withDescription("PostgreSQL not available: " + e.getMessage())
                    .asRuntimeException());
        }
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> out) {
        try {
            NodeFields.requireNodeId("node_id", request.getNodeId());
        } catch (InvalidFieldException e) {
            refuse(out, "Heartbeat", Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
            return;
        }
        if (!callerMayClaim(request.getNodeId(), "Heartbeat", "node.heartbeat", out)) {
            return;
        }
        HeartbeatResponse.Builder response = HeartbeatResponse.newBuilder();
        try {
            boolean known = repository.touchLastSeen(request.getNodeId());
            response.setAcknowledged(known).setCoordinatorId(repository.coordinatorId().orElse(""));
        } catch (SQLException e) {
            response.setAcknowledged(false); // upstream's answer while PostgreSQL is down
        }
        out.onNext(response.build());
        out.onCompleted();
    }

    /**
     * The identity rule. In plaintext mode (explicitly insecure) there is no certificate and every claim passes.
     */
    private boolean callerMayClaim(String claimed, String method, String auditAction, StreamObserver<?> out) {
        Optional<String> certified = CallerIdentity.nodeId();
        if (!tlsEnabled || certified.isEmpty() || certified.get().equals(claimed)) {
            return true;
        }
        SocketAddress remote = CallerIdentity.address();
        String reason = "the client certificate names node '" + certified.get() + "' but the request claims node '"
                + claimed + "'";
        try {
            repository.auditRefused(auditAction, certified.get() + "@" + ConnectionLog.host(remote), claimed,
                    ConnectionLog.ip(remote), method + " refused: " + reason);
        } catch (SQLException e) {
            LOG.warn("cannot audit a refused {} from {}: {}", method, ConnectionLog.describe(remote), e.getMessage());
        }
        refuse(out, method, Status.PERMISSION_DENIED.withDescription(reason));
        return false;
    }

    private void refuse(StreamObserver<?> out, String method, Status status) {
        log.callRefused(CallerIdentity.address(), method, status.getCode() + ": " + status.getDescription());
        out.onError(status.asRuntimeException());
    }

    private static String coordinator(List<NodeRecord> nodes) {
        return nodes.stream().filter(NodeRecord::coordinator).map(NodeRecord::nodeId).findFirst().orElse("");
    }

    static NodeInfo info(NodeRecord n) {
        NodeInfo.Builder b = NodeInfo.newBuilder().setNodeId(n.nodeId()).setNodeName(n.nodeName()).setHost(n.host())
                .setPort(n.port()).setPriority(n.priority()).setIsCoordinator(n.coordinator())
                .setStatus(n.status().sql());
        if (n.lastSeen() != null) {
            b.setLastSeen(timestamp(n.lastSeen()));
        }
        return b.build();
    }

    static Timestamp timestamp(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }
}
