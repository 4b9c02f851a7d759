package io.steep.repl.daemon.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.daemon.cluster.NodeRecord;
import io.steep.repl.daemon.cluster.NodeStatus;
import io.steep.repl.testing.PgServer;
import io.steep.repl.testing.RealPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clusters in one JVM: each daemon with its own database on one PG 18 server, mTLS gRPC on 127.0.0.1,
 * heartbeats every 200 ms, unreachable after 3 misses. Outcomes are awaited with generous timeouts; the time a
 * stopped node took to be seen unreachable is printed, not asserted.
 */
@ExtendWith(RealPostgres.class)
class ClusterTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private static boolean allSee(List<TestNode> nodes, List<String> ids, NodeStatus status) throws Exception {
        for (TestNode n : nodes) {
            Map<String, NodeRecord> t = n.table();
            for (String id : ids) {
                if (!t.containsKey(id) || t.get(id).status() != status) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean coordinatorEverywhere(List<TestNode> nodes, String id) throws Exception {
        for (TestNode n : nodes) {
            if (!n.coordinator().equals(java.util.Optional.of(id))) {
                return false;
            }
        }
        return true;
    }

    private static int auditCount(PgServer pg, TestNode n, String action) throws Exception {
        try (Connection c = pg.connect(n.database);
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM steep_repl.audit_log WHERE action = ?")) {
            ps.setString(1, action);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void twoNodesBecomeHealthyDetectAStopAndMoveTheCoordinatorAndBack(PgServer pg) throws Exception {
        TestPki pki = new TestPki(tmp);
        TestNode a = TestNode.create(pg, pki, "node-a", 40, List.of());
        TestNode b = TestNode.create(pg, pki, "node-b", 80, List.of(a.address()));
        try (a; b) {
            a.start();
            b.start();
            List<TestNode> both = List.of(a, b);
            Eventually.await(PATIENCE, "both healthy in both tables",
                    () -> allSee(both, List.of("node-a", "node-b"), NodeStatus.HEALTHY));
            Eventually.await(PATIENCE, "node-b (priority 80) coordinator on both", () -> coordinatorEverywhere(both, "node-b"));
            assertThat(a.node().status().cluster().clusterSize()).isEqualTo(2);
            Eventually.await(PATIENCE, "b knows it is the coordinator", () -> b.node().status().cluster().isCoordinator());
            assertThat(a.table().get("node-b").port()).isEqualTo(b.port); // the gRPC port peers dial

            b.stop();
            Duration seen = Eventually.await(PATIENCE, "a sees b unreachable",
                    () -> a.statusOf("node-b").orElseThrow() == NodeStatus.UNREACHABLE);
            System.out.printf("node-b seen unreachable %d ms after stop (bound: %d ms)%n", seen.toMillis(),
                    TestNode.INTERVAL.multipliedBy(TestNode.UNREACHABLE_AFTER + 1).toMillis());
            Eventually.await(PATIENCE, "a takes over", () -> a.coordinator().equals(java.util.Optional.of("node-a")));
            assertThat(a.table().values().stream().filter(NodeRecord::coordinator).count()).isEqualTo(1);

            b.start(); // same port, same database
            Eventually.await(PATIENCE, "b healthy again in a's table",
                    () -> a.statusOf("node-b").orElseThrow() == NodeStatus.HEALTHY);
            Eventually.await(PATIENCE, "coordinator moves back to b on both", () -> coordinatorEverywhere(both, "node-b"));
            // b elected, a elected, b elected again, as seen by a
            assertThat(auditCount(pg, a, "coordinator.elected")).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void threeNodesDiscoverEachOtherAndOfflineSticks(PgServer pg) throws Exception {
        TestPki pki = new TestPki(tmp);
        TestNode a = TestNode.create(pg, pki, "node-a", 30, List.of());
        TestNode b = TestNode.create(pg, pki, "node-b", 60, List.of(a.address()));
        TestNode c = TestNode.create(pg, pki, "node-c", 90, List.of(a.address()));
        try (a; b; c) {
            a.start();
            b.start();
            c.start();
            List<TestNode> all = List.of(a, b, c);
            List<String> ids = List.of("node-a", "node-b", "node-c");
            // b and c only know a; they find each other through a's answers and re-registration
            Eventually.await(PATIENCE, "all healthy everywhere", () -> allSee(all, ids, NodeStatus.HEALTHY));
            Eventually.await(PATIENCE, "node-c coordinator everywhere", () -> coordinatorEverywhere(all, "node-c"));

            c.stop();
            Eventually.await(PATIENCE, "a and b see c unreachable",
                    () -> allSee(List.of(a, b), List.of("node-c"), NodeStatus.UNREACHABLE));
            Eventually.await(PATIENCE, "node-b coordinator on a and b", () -> coordinatorEverywhere(List.of(a, b), "node-b"));

            // an administrator takes b offline in a's table: heartbeats (b still answers) must not undo it
            a.node().repository().setStatusByAdmin("node-b", NodeStatus.OFFLINE);
            Eventually.await(PATIENCE, "a re-elects itself", () -> a.coordinator().equals(java.util.Optional.of("node-a")));
            List<NodeStatus> observed = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Thread.sleep(TestNode.INTERVAL.toMillis());
                observed.add(a.statusOf("node-b").orElseThrow());
            }
            assertThat(observed).containsOnly(NodeStatus.OFFLINE);

            c.start();
            Eventually.await(PATIENCE, "c healthy again for a", () -> a.statusOf("node-c").orElseThrow() == NodeStatus.HEALTHY);
            Eventually.await(PATIENCE, "c coordinator again on a", () -> a.coordinator().equals(java.util.Optional.of("node-c")));
            assertThat(a.statusOf("node-b")).contains(NodeStatus.OFFLINE);

            // back from offline only by an administrator; then heartbeats take over again
            a.node().repository().setStatusByAdmin("node-b", NodeStatus.UNKNOWN);
            Eventually.await(PATIENCE, "b healthy again for a", () -> a.statusOf("node-b").orElseThrow() == NodeStatus.HEALTHY);
        }
    }
}
