package io.steep.repl.tray.traymenu;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.tray.connection.NodeRow;
import io.steep.repl.tray.testing.FakeDaemon;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TrayStateTest {

    static final List<NodeRow> NODES = List.of(
            new NodeRow("node-a", "A", "h", 5433, 80, true, Instant.now(), "healthy"),
            new NodeRow("node-b", "B", "h", 5433, 50, false, Instant.now(), "healthy"));

    @Test
    void healthyDaemonIsGreenWithNodePgClusterAndCoordinatorInTheTooltip() {
        TrayState s = TrayState.of(FakeDaemon.status("18.1", true), FakeDaemon.health("healthy"), null, NODES);
        assertThat(s.level()).isEqualTo(TrayState.Level.HEALTHY);
        assertThat(s.reasons()).isEmpty();
        assertThat(s.tooltip()).contains("Node: node-a (Primary (Berlin))", "PostgreSQL: 18.1", "Cluster: 2 nodes, coordinator node-a");
    }

    @Test
    void degradedHealthIsAmber() {
        assertThat(TrayState.of(FakeDaemon.status("18.1", true), FakeDaemon.health("degraded"), null, NODES).level())
                .isEqualTo(TrayState.Level.DEGRADED);
    }

    @Test
    void aDegradedComponentIsNamedWithItsMessageButCertificatesOnlyOnce() {
        ObjectNode health = FakeDaemon.health("degraded");
        String why = "2 audit event(s) kept out of PostgreSQL in /var/lib/steep-repl/spool/audit.rejected.jsonl (the daemon log says why)";
        ((ObjectNode) health.path("components")).putObject("audit").put("healthy", true).put("status", "events_rejected").put("message", why);
        ((ObjectNode) health.path("components")).putObject("certificate").put("healthy", true).put("status", "expiring_soon")
                .put("message", "the node certificate expires in 29 days");
        TrayState s = TrayState.of(FakeDaemon.status("18.1", true), health, null, NODES);
        assertThat(s.level()).isEqualTo(TrayState.Level.DEGRADED);
        assertThat(s.reasons()).containsExactly("audit: " + why);
        assertThat(s.tooltip()).contains("• audit: " + why);
    }

    @Test
    void unhealthyOrPostgresDownIsRed() {
        TrayState s = TrayState.of(FakeDaemon.status("18.1", false), FakeDaemon.health("unhealthy"), null, NODES);
        assertThat(s.level()).isEqualTo(TrayState.Level.UNHEALTHY);
        assertThat(s.reasons()).anyMatch(r -> r.startsWith("postgresql"));
        // status alone (no health answer yet) says PG is down: still red
        assertThat(TrayState.of(FakeDaemon.status("18.1", false), null, null, NODES).level()).isEqualTo(TrayState.Level.UNHEALTHY);
    }

    @Test
    void postgresOlderThan18IsAWarning() {
        TrayState s = TrayState.of(FakeDaemon.status("17.6", true), FakeDaemon.health("healthy"), null, NODES);
        assertThat(s.level()).isEqualTo(TrayState.Level.DEGRADED);
        assertThat(s.reasons()).containsExactly("PostgreSQL 17.6 is older than 18: steep_repl needs 18 or later");
        assertThat(TrayState.pgMajor("PostgreSQL 16.4 on x86_64")).isEqualTo(16);
        assertThat(TrayState.pgMajor("")).isZero();
    }

    @Test
    void expiringOrExpiredCertificateIsAWarningWhereverTheReportSits() {
        ObjectNode certs = FakeDaemon.json();
        certs.putObject("node").put("subject", "CN=node-a").put("daysLeft", 12);
        certs.putObject("ca").put("subject", "CN=ca").put("daysLeft", 3000);
        TrayState s = TrayState.of(FakeDaemon.status("18.1", true), FakeDaemon.health("healthy"), certs, NODES);
        assertThat(s.level()).isEqualTo(TrayState.Level.DEGRADED);
        assertThat(s.reasons()).containsExactly("certificate CN=node-a expires in 12 days");

        // certs.status names each certificate by role and again in its list of files: one reason each
        ObjectNode report = FakeDaemon.json();
        report.putObject("ca").put("subject", "CN=ca").put("daysLeft", 20).put("sha256Fingerprint", "AA");
        report.putObject("node").put("subject", "CN=node-a").put("daysLeft", 20).put("sha256Fingerprint", "BB");
        report.putArray("certificates").add(report.get("ca").deepCopy()).add(report.get("node").deepCopy());
        assertThat(TrayState.of(FakeDaemon.status("18.1", true), FakeDaemon.health("healthy"), report, NODES).reasons())
                .containsExactly("certificate CN=ca expires in 20 days", "certificate CN=node-a expires in 20 days");

        ObjectNode expired = FakeDaemon.json().put("subject", "CN=node-a").put("days_left", -1);
        assertThat(TrayState.of(FakeDaemon.status("18.1", true), FakeDaemon.health("healthy"), expired, NODES).reasons())
                .containsExactly("certificate CN=node-a has expired");
    }

    @Test
    void unreachablePeerIsAWarning() {
        List<NodeRow> nodes = List.of(NODES.get(0), new NodeRow("node-b", "B", "h", 1, 1, false, null, "unreachable"));
        TrayState s = TrayState.of(FakeDaemon.status("18.1", true), FakeDaemon.health("healthy"), null, nodes);
        assertThat(s.level()).isEqualTo(TrayState.Level.DEGRADED);
        assertThat(s.tooltip()).contains("• 1 peer unreachable");
    }

    @Test
    void unreachableDaemonIsGreyAndSaysWhy() {
        TrayState s = TrayState.unreachable("Daemon not reachable at /run/x.sock");
        assertThat(s.level()).isEqualTo(TrayState.Level.UNREACHABLE);
        assertThat(s.level().icon()).isEqualTo("tray-unreachable");
        assertThat(s.tooltip()).contains("/run/x.sock");
    }

    @Test
    void everyLevelHasAnIconInTheIconsJar() {
        for (TrayState.Level l : TrayState.Level.values()) {
            for (int size : TrayIcons.SIZES) {
                assertThat(TrayIcons.class.getResource(TrayIcons.path(l.icon(), size))).as(l + " " + size).isNotNull();
            }
        }
        assertThat(TrayIcons.bestSize(22)).isEqualTo(22);
        assertThat(TrayIcons.bestSize(23)).isEqualTo(24);
        assertThat(TrayIcons.bestSize(9999)).isEqualTo(512);
    }
}
