package io.steep.repl.daemon.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.ipc.IpcErrorCode;
import io.steep.repl.ipc.IpcException;
import io.steep.repl.ipc.IpcMethods;
import io.steep.repl.ipc.client.IpcClient;
import io.steep.repl.ipc.message.AuditQueryResult;
import io.steep.repl.ipc.message.NodeInfo;
import io.steep.repl.ipc.message.NodesGetResult;
import io.steep.repl.ipc.message.NodesListResult;
import io.steep.repl.ipc.transport.IpcEndpoint;
import io.steep.repl.testing.PgServer;
import io.steep.repl.testing.RealPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** nodes.list, nodes.get and audit.query over a real socket against a real PostgreSQL 18 with steep_repl. */
@ExtendWith(RealPostgres.class)
@Timeout(120)
class IpcDatabaseMethodsTest {

    private static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path tmp;
    private IpcServer server;
    private IpcClient client;
    private PgServer pg;
    private String db;

    private PGSimpleDataSource dataSource(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {pg.host()});
        ds.setPortNumbers(new int[] {pg.port()});
        ds.setDatabaseName(database);
        ds.setUser(pg.superuser());
        if (!pg.password().isEmpty()) {
            ds.setPassword(pg.password());
        }
        return ds;
    }

    @BeforeEach
    void start(PgServer pg) throws Exception {
        this.pg = pg;
        db = pg.createDatabase("ipc");
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION steep_repl");
            s.execute("SET steep_repl.actor = 'steep_repl@node-a'");
            s.execute("INSERT INTO steep_repl.nodes (node_id, node_name, host, port, priority, is_coordinator, last_seen, status) VALUES "
                    + "('node-a', 'Primary Node', '192.168.1.10', 5432, 80, true, '2025-12-04T12:00:00Z', 'healthy'),"
                    + "('node-b', 'Secondary Node', '192.168.1.11', 5432, 50, false, '2025-12-04T11:59:55Z', 'degraded'),"
                    + "('node-c', 'Third', 'db3', 6432, 10, false, NULL, 'unknown')");
            // 3 node.registered rows from the trigger, plus 30 daemon rows at known times
            s.execute("INSERT INTO steep_repl.audit_log (occurred_at, action, actor, target_type, target_id, success, error_message) "
                    + "SELECT timestamptz '2025-12-01T00:00:00Z' + make_interval(hours => g), "
                    + "CASE WHEN g % 3 = 0 THEN 'daemon.started' WHEN g % 3 = 1 THEN 'coordinator.elected' ELSE 'heartbeat.missed' END, "
                    + "'steep_repl@node-a', 'daemon', 'node-a', g % 5 <> 0, CASE WHEN g % 5 = 0 THEN 'boom' END "
                    + "FROM generate_series(1, 30) g");
        }
        server = Fixtures.server(tmp.resolve("steep-repl").resolve("s.sock"), Fixtures.standard(dataSource(db), new EventBroadcaster()),
                new EventBroadcaster(), IpcServerOptions.defaults());
        client = IpcClient.connect(IpcEndpoint.of(server.address()), T);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private IpcErrorCode codeOf(String method, Object params) {
        try {
            client.call(method, params, T);
            return null;
        } catch (IpcException e) {
            return e.errorCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void nodesListReturnsEveryNodeByPriorityWithTheCoordinator() throws Exception {
        NodesListResult all = client.call(IpcMethods.NODES_LIST, null, NodesListResult.class, T);
        assertThat(all.nodes()).extracting(NodeInfo::nodeId).containsExactly("node-a", "node-b", "node-c");
        assertThat(all.coordinatorId()).isEqualTo("node-a");
        NodeInfo a = all.nodes().get(0);
        assertThat(a).isEqualTo(new NodeInfo("node-a", "Primary Node", "192.168.1.10", 5432, 80, true,
                Instant.parse("2025-12-04T12:00:00Z"), "healthy"));
        assertThat(all.nodes().get(2).lastSeen()).isNull();

        JsonNode raw = client.call(IpcMethods.NODES_LIST, Map.of(), T);
        assertThat(raw.at("/nodes/0/last_seen").asText()).isEqualTo("2025-12-04T12:00:00Z");
        assertThat(raw.at("/nodes/0/is_coordinator").asBoolean()).isTrue();
    }

    @Test
    void nodesListFiltersByAnyNumberOfStatuses() throws Exception {
        assertThat(client.call(IpcMethods.NODES_LIST, Map.of("status_filter", List.of("healthy", "degraded")), NodesListResult.class, T)
                .nodes()).extracting(NodeInfo::nodeId).containsExactly("node-a", "node-b");
        NodesListResult onlyUnknown = client.call(IpcMethods.NODES_LIST, Map.of("status_filter", List.of("unknown")), NodesListResult.class, T);
        assertThat(onlyUnknown.nodes()).extracting(NodeInfo::nodeId).containsExactly("node-c");
        assertThat(onlyUnknown.coordinatorId()).as("the coordinator is reported even when filtered out").isEqualTo("node-a");
        assertThat(client.call(IpcMethods.NODES_LIST, Map.of("status_filter", List.of("offline")), NodesListResult.class, T).nodes()).isEmpty();
        assertThat(client.call(IpcMethods.NODES_LIST, Map.of("status_filter", List.of()), NodesListResult.class, T).nodes()).hasSize(3);

        assertThatThrownBy(() -> client.call(IpcMethods.NODES_LIST, Map.of("status_filter", List.of("sleepy")), T))
                .isInstanceOfSatisfying(IpcException.class, e -> assertThat(e.errorCode()).isEqualTo(IpcErrorCode.INVALID_PARAMS))
                .hasMessageContaining("sleepy").hasMessageContaining("unreachable");
        assertThat(codeOf(IpcMethods.NODES_LIST, Map.of("status_filter", "healthy"))).isEqualTo(IpcErrorCode.INVALID_PARAMS);
    }

    @Test
    void nodesGetReturnsOneNodeOrNodeNotFound() throws Exception {
        NodesGetResult b = client.call(IpcMethods.NODES_GET, Map.of("node_id", "node-b"), NodesGetResult.class, T);
        assertThat(b.node().nodeName()).isEqualTo("Secondary Node");
        assertThat(b.node().status()).isEqualTo("degraded");
        assertThatThrownBy(() -> client.call(IpcMethods.NODES_GET, Map.of("node_id", "node-z"), T))
                .isInstanceOfSatisfying(IpcException.class, e -> assertThat(e.errorCode()).isEqualTo(IpcErrorCode.NODE_NOT_FOUND))
                .hasMessageContaining("node-z").hasMessageContaining("nodes.list");
        assertThat(codeOf(IpcMethods.NODES_GET, Map.of())).isEqualTo(IpcErrorCode.INVALID_PARAMS);
        assertThat(codeOf(IpcMethods.NODES_GET, Map.of("node_id", 3))).isEqualTo(IpcErrorCode.INVALID_PARAMS);
        // parameterised: a quote in the id is just an id
        assertThat(codeOf(IpcMethods.NODES_GET, Map.of("node_id", "x' OR '1'='1"))).isEqualTo(IpcErrorCode.NODE_NOT_FOUND);
    }

    @Test
    void auditQueryPagesNewestFirstWithTheFullTotal() throws Exception {
        AuditQueryResult page1 = client.call(IpcMethods.AUDIT_QUERY, Map.of("limit", 10, "offset", 0,
                "action_filter", List.of("daemon.started", "coordinator.elected"), "since", "2025-12-01T00:00:00Z"), AuditQueryResult.class, T);
        assertThat(page1.total()).isEqualTo(20);
        assertThat(page1.hasMore()).isTrue();
        assertThat(page1.entries()).hasSize(10);
        assertThat(page1.entries()).extracting(e -> e.occurredAt()).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(page1.entries().get(0).occurredAt()).isEqualTo(Instant.parse("2025-12-02T06:00:00Z")); // g=30
        assertThat(page1.entries()).allMatch(e -> List.of("daemon.started", "coordinator.elected").contains(e.action()));

        AuditQueryResult page2 = client.call(IpcMethods.AUDIT_QUERY, Map.of("limit", 10, "offset", 10,
                "action_filter", List.of("daemon.started", "coordinator.elected")), AuditQueryResult.class, T);
        assertThat(page2.total()).isEqualTo(20);
        assertThat(page2.hasMore()).isFalse();
        assertThat(page2.entries()).hasSize(10).doesNotContainAnyElementsOf(page1.entries());

        AuditQueryResult beyond = client.call(IpcMethods.AUDIT_QUERY, Map.of("offset", 500), AuditQueryResult.class, T);
        assertThat(beyond.entries()).isEmpty();
        assertThat(beyond.total()).isEqualTo(33);
        assertThat(beyond.hasMore()).isFalse();
    }

    @Test
    void auditQueryFiltersBySinceAndActionAndShowsFailures() throws Exception {
        AuditQueryResult since = client.call(IpcMethods.AUDIT_QUERY, Map.of("since", "2025-12-02T01:00:00+00:00",
                "action_filter", List.of("daemon.started", "coordinator.elected", "heartbeat.missed")), AuditQueryResult.class, T);
        assertThat(since.total()).isEqualTo(6); // g = 25..30
        AuditQueryResult registered = client.call(IpcMethods.AUDIT_QUERY, Map.of("action_filter", List.of("node.registered")), AuditQueryResult.class, T);
        assertThat(registered.total()).isEqualTo(3);
        assertThat(registered.entries()).extracting(e -> e.targetId()).containsExactlyInAnyOrder("node-a", "node-b", "node-c");
        assertThat(registered.entries()).allMatch(e -> e.actor().equals("steep_repl@node-a") && e.targetType().equals("node") && e.success());
        AuditQueryResult defaults = client.call(IpcMethods.AUDIT_QUERY, null, AuditQueryResult.class, T);
        assertThat(defaults.total()).isEqualTo(33);
        assertThat(defaults.entries()).hasSize(33);
        assertThat(defaults.entries()).anyMatch(e -> !e.success() && "boom".equals(e.errorMessage()));
        JsonNode raw = client.call(IpcMethods.AUDIT_QUERY, Map.of("limit", 1), T);
        assertThat(raw.has("has_more")).isTrue();
        assertThat(raw.at("/entries/0/occurred_at").asText()).endsWith("Z");
    }

    @Test
    void auditQueryRefusesBadParamsNamingTheField() throws Exception {
        assertThat(client.call(IpcMethods.AUDIT_QUERY, Map.of("limit", 1000), AuditQueryResult.class, T).entries()).hasSize(33);
        assertThatThrownBy(() -> client.call(IpcMethods.AUDIT_QUERY, Map.of("limit", 1001), T))
                .isInstanceOfSatisfying(IpcException.class, e -> assertThat(e.errorCode()).isEqualTo(IpcErrorCode.INVALID_PARAMS))
                .hasMessageContaining("limit").hasMessageContaining("1000");
        assertThat(codeOf(IpcMethods.AUDIT_QUERY, Map.of("limit", -1))).isEqualTo(IpcErrorCode.INVALID_PARAMS);
        assertThat(codeOf(IpcMethods.AUDIT_QUERY, Map.of("limit", "ten"))).isEqualTo(IpcErrorCode.INVALID_PARAMS);
        assertThat(codeOf(IpcMethods.AUDIT_QUERY, Map.of("offset", -5))).isEqualTo(IpcErrorCode.INVALID_PARAMS);
        assertThat(codeOf(IpcMethods.AUDIT_QUERY, Map.of("since", "yesterday"))).isEqualTo(IpcErrorCode.INVALID_PARAMS);
        assertThat(codeOf(IpcMethods.AUDIT_QUERY, Map.of("action_filter", List.of(1)))).isEqualTo(IpcErrorCode.INVALID_PARAMS);
    }

    @Test
    void aDatabaseWithoutTheExtensionAnswersExtensionNotInstalled() throws Exception {
        String bare = pg.createDatabase("ipc_bare");
        try (IpcServer other = Fixtures.server(tmp.resolve("steep-repl").resolve("bare.sock"),
                Fixtures.standard(dataSource(bare), new EventBroadcaster()), new EventBroadcaster(), IpcServerOptions.defaults());
             IpcClient c = IpcClient.connect(IpcEndpoint.of(other.address()), T)) {
            assertThatThrownBy(() -> c.call(IpcMethods.NODES_LIST, null, T))
                    .isInstanceOfSatisfying(IpcException.class, e -> assertThat(e.errorCode()).isEqualTo(IpcErrorCode.EXTENSION_NOT_INSTALLED))
                    .hasMessageContaining("CREATE EXTENSION steep_repl");
        }
    }
}
