package io.steep.repl.daemon.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Timestamp;
import io.steep.repl.daemon.cluster.ClusterJoin;
import io.steep.repl.daemon.cluster.PeerAddress;
import io.steep.repl.daemon.cluster.PeerTransport;
import io.steep.repl.daemon.service.RecordingRunner;
import io.steep.repl.ipc.IpcErrorCode;
import io.steep.repl.ipc.IpcException;
import io.steep.repl.ipc.IpcMethods;
import io.steep.repl.proto.v1.NodeInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** nodes.join over a real socket with a stand-in for the gRPC join: the answer and every error mapping. */
@Timeout(60)
class NodesJoinMethodTest {

    @TempDir
    Path dir;
    private final List<PeerAddress> dialed = new CopyOnWriteArrayList<>();

    private AdminServer ipc(boolean grpcEnabled, JoinAction join) throws Exception {
        AdminDeps base = Fixtures.adminDeps(Fixtures.unreachableDataSource(), dir, new RecordingRunner(), null);
        JoinAction recording = join == null ? null : peer -> {
            dialed.add(peer);
            return join.join(peer);
        };
        return new AdminServer(dir, new AdminDeps(base.dataSource(), null, Fixtures.config(dir, grpcEnabled, Optional.empty()),
                Clock.systemUTC(), base.service(), recording));
    }

    @Test
    void joiningAnswersThePeerAndTheNodesItKnows() throws Exception {
        NodeInfo b = NodeInfo.newBuilder().setNodeId("node-b").setNodeName("B").setHost("10.0.0.2").setPort(5433)
                .setPriority(60).setIsCoordinator(true).setStatus("healthy")
                .setLastSeen(Timestamp.newBuilder().setSeconds(1_764_849_600L)).build();
        NodeInfo c = NodeInfo.newBuilder().setNodeId("node-c").setNodeName("C").setHost("10.0.0.3").setPort(5433)
                .setPriority(50).build();
        try (AdminServer ipc = ipc(true, peer -> new ClusterJoin.Joined("node-b", List.of(b, c), "node-b"))) {
            JsonNode r = ipc.call(IpcMethods.NODES_JOIN, Map.of("address", " [::1]:5433 "));

            assertThat(dialed).containsExactly(new PeerAddress("::1", 5433));
            assertThat(r.path("address").asText()).isEqualTo("[::1]:5433");
            assertThat(r.path("peer_id").asText()).isEqualTo("node-b");
            assertThat(r.path("coordinator_id").asText()).isEqualTo("node-b");
            assertThat(r.path("nodes")).hasSize(2);
            assertThat(r.at("/nodes/0/is_coordinator").asBoolean()).isTrue();
            assertThat(r.at("/nodes/0/last_seen").asText()).isEqualTo("2025-12-04T12:00:00Z");
            assertThat(r.at("/nodes/1/status").asText()).isEqualTo("unknown");
            assertThat(r.at("/nodes/1/last_seen").isNull()).isTrue();
        }
        try (AdminServer ipc = ipc(true, peer -> new ClusterJoin.Joined("node-b", List.of(), ""))) {
            assertThat(ipc.call(IpcMethods.NODES_JOIN, Map.of("address", "b.example:5433")).path("coordinator_id").isNull()).isTrue();
        }
    }

    @Test
    void everyFailureHasItsCode() throws Exception {
        expect(peer -> {
            throw new PeerTransport.PeerCallException(peer, "UNAVAILABLE", "connection refused", null);
        }, IpcErrorCode.PEER_UNAVAILABLE, "cannot reach b.example:5433 (UNAVAILABLE)", "same cluster CA");
        expect(peer -> {
            throw new ClusterJoin.JoinRefusedException(peer + " refused the registration: database down");
        }, IpcErrorCode.PEER_REFUSED, "refused the registration: database down");
        expect(peer -> {
            throw new SQLException("Connection refused", "08001");
        }, IpcErrorCode.NOT_CONNECTED, "PostgreSQL is not reachable while recording the joined peer b.example:5433");
    }

    @Test
    void badAddressesAreNamedAndNeverDialed() throws Exception {
        try (AdminServer ipc = ipc(true, peer -> new ClusterJoin.Joined("x", List.of(), ""))) {
            for (Object address : List.of("b.example", "b.example:0", "b.example:http", "")) {
                IpcException e = ipc.error(IpcMethods.NODES_JOIN, Map.of("address", address));
                assertThat(e.errorCode()).as(address.toString()).isEqualTo(IpcErrorCode.INVALID_PARAMS);
                assertThat(e.getMessage()).as(address.toString()).contains("params.address");
            }
            assertThat(ipc.error(IpcMethods.NODES_JOIN, Map.of()).getMessage()).contains("params.address is required");
            assertThat(ipc.error(IpcMethods.NODES_JOIN, Map.of("address", 5433)).errorCode()).isEqualTo(IpcErrorCode.INVALID_PARAMS);
        }
        assertThat(dialed).isEmpty();
    }

    @Test
    void withoutGrpcThereIsNothingToJoinWith() throws Exception {
        try (AdminServer ipc = ipc(false, null)) {
            IpcException e = ipc.error(IpcMethods.NODES_JOIN, Map.of("address", "b.example:5433"));
            assertThat(e.errorCode()).isEqualTo(IpcErrorCode.UNAVAILABLE);
            assertThat(e.getMessage()).contains("grpc.enabled: false").contains("set grpc.enabled: true");
        }
        try (AdminServer ipc = ipc(true, null)) {
            IpcException e = ipc.error(IpcMethods.NODES_JOIN, Map.of("address", "b.example:5433"));
            assertThat(e.errorCode()).isEqualTo(IpcErrorCode.UNAVAILABLE);
            assertThat(e.getMessage()).contains("not running yet");
        }
    }

    private void expect(JoinAction join, IpcErrorCode code, String... message) throws Exception {
        try (AdminServer ipc = ipc(true, join)) {
            IpcException e = ipc.error(IpcMethods.NODES_JOIN, Map.of("address", "b.example:5433"));
            assertThat(e.errorCode()).isEqualTo(code);
            assertThat(e.getMessage()).contains(message);
        }
    }
}
