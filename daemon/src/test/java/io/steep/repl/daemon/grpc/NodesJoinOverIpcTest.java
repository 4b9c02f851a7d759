package io.steep.repl.daemon.grpc;

import io.steep.repl.testing.IpcAddress;
import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.daemon.TestConfigs;
import io.steep.repl.daemon.cluster.NodeStatus;
import io.steep.repl.daemon.ipc.AdminDeps;
import io.steep.repl.daemon.ipc.AdminMethods;
import io.steep.repl.daemon.ipc.EventBroadcaster;
import io.steep.repl.daemon.ipc.IpcServer;
import io.steep.repl.daemon.ipc.IpcServerOptions;
import io.steep.repl.daemon.ipc.MethodRegistry;
import io.steep.repl.daemon.service.ServiceControl;
import io.steep.repl.ipc.IpcErrorCode;
import io.steep.repl.ipc.IpcException;
import io.steep.repl.ipc.IpcMethods;
import io.steep.repl.ipc.client.IpcClient;
import io.steep.repl.ipc.transport.AccessPolicy;
import io.steep.repl.ipc.transport.IpcEndpoint;
import io.steep.repl.testing.PgServer;
import io.steep.repl.testing.RealPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** nodes.join end to end: an IPC call on node-b makes it register with node-a over real mTLS gRPC. */
@ExtendWith(RealPostgres.class)
@Timeout(120)
class NodesJoinOverIpcTest {

    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void nodesJoinRegistersWithThePeerAndRecordsIt(PgServer pg) throws Exception {
        TestPki pki = new TestPki(tmp);
        TestNode a = TestNode.create(pg, pki, "node-a", 40, List.of());
        TestNode b = TestNode.create(pg, pki, "node-b", 80, List.of()); // no cluster.peers: it knows nobody
        try (a; b) {
            a.start();
            b.start();
            MethodRegistry methods = new MethodRegistry();
            AdminMethods.install(methods, new AdminDeps(b.dataSource, null, TestConfigs.load(TestConfigs.write(tmp.resolve("b"), pg, b.database, "grpc:\n  tls: {insecure: true}\n"), java.util.Map.of()),
                    Clock.systemUTC(), ServiceControl.forThisHost(), b.node()::join));
            Path sock = tmp.resolve("ipc").resolve("b.sock");
            try (IpcServer server = new IpcServer(IpcEndpoint.of(IpcAddress.of(sock), AccessPolicy.OWNER_ONLY), methods,
                    new EventBroadcaster(), IpcServerOptions.defaults())) {
                server.start();
                try (IpcClient client = IpcClient.connect(IpcEndpoint.of(IpcAddress.of(sock)), T)) {
                    JsonNode joined = client.call(IpcMethods.NODES_JOIN, Map.of("address", a.address().toString()), T);

                    assertThat(joined.path("peer_id").asText()).isEqualTo("node-a");
                    assertThat(joined.path("nodes").toString()).contains("\"node_id\":\"node-b\"");
                    assertThat(b.statusOf("node-a")).contains(NodeStatus.HEALTHY);
                    assertThat(a.table()).containsKey("node-b");

                    int closedPort = TestNode.freePort();
                    assertThatThrownBy(() -> client.call(IpcMethods.NODES_JOIN, Map.of("address", "127.0.0.1:" + closedPort), T))
                            .isInstanceOfSatisfying(IpcException.class, e -> {
                                assertThat(e.errorCode()).isEqualTo(IpcErrorCode.PEER_UNAVAILABLE);
                                assertThat(e.getMessage()).contains("127.0.0.1:" + closedPort);
                            });
                }
            }
        }
    }
}
