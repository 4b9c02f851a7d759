package io.steep.repl.tray;

import io.steep.repl.testing.IpcAddress;
import io.steep.repl.tray.connection.NodeRow;
import io.steep.repl.tray.testing.FakeDaemon;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class DashboardUiTest extends UiTestBase {

    @Test
    void showsDaemonStatusAndTheNodesWithTheCoordinatorMarked(FxRobot robot) {
        waitText(robot, "#daemonVersion", "0.1.0");
        assertThat(text(robot, "#daemonVersion")).isEqualTo("0.1.0 · running · pid 4242");
        assertThat(text(robot, "#postgresql")).isEqualTo("18.1 on localhost:5432");
        assertThat(text(robot, "#grpc")).isEqualTo("listening on 5433, mutual TLS");
        assertThat(text(robot, "#ipc")).isEqualTo("listening");
        assertThat(text(robot, "#uptime")).startsWith("1 d 2 h");
        assertThat(text(robot, "#service")).isEqualTo("active (user, enabled, pid 4242)");
        assertThat(text(robot, "#trayStateLabel")).isEqualTo("healthy");
        TableView<NodeRow> nodes = robot.lookup("#nodesTable").queryTableView();
        waitFx("3 nodes", () -> nodes.getItems().size() == 3);
        waitAnyText(robot, ".table-cell", "node-a  ★ coordinator");
        assertThat(fx(() -> robot.lookup(".node-degraded").queryAll().size())).isEqualTo(1);
        waitAnyText(robot, ".table-cell", "1 min ago");
    }

    @Test
    void pagesAndFiltersTheAuditLog(FxRobot robot) {
        waitText(robot, "#daemonVersion", "0.1.0");
        robot.clickOn("Audit log");
        waitText(robot, "#auditPage", "1–50 of 120");
        TableView<?> audit = robot.lookup("#auditTable").queryTableView();
        assertThat(fx(() -> audit.getItems().size())).isEqualTo(50);
        assertThat(robot.lookup("#auditPrev").queryButton().isDisabled()).isTrue();
        robot.clickOn("#auditNext");
        waitText(robot, "#auditPage", "51–100 of 120");
        robot.clickOn("#auditNext");
        waitText(robot, "#auditPage", "101–120 of 120");
        assertThat(robot.lookup("#auditNext").queryButton().isDisabled()).isTrue();
        robot.clickOn("#auditPrev");
        waitText(robot, "#auditPage", "51–100 of 120");

        ComboBox<String> action = robot.lookup("#auditAction").queryComboBox();
        robot.interact(() -> action.getSelectionModel().select("coordinator.elected"));
        waitText(robot, "#auditPage", "1–20 of 20");
        assertThat(daemon.last("audit.query").params().path("action_filter").get(0).asText()).isEqualTo("coordinator.elected");
        ComboBox<String> window = robot.lookup("#auditWindow").queryComboBox();
        robot.interact(() -> window.getSelectionModel().select("Last 24 hours"));
        waitText(robot, "#auditPage", "1–");
        assertThat(daemon.last("audit.query").params().has("since")).isTrue();
        // 48 half-hourly rows in a day, every 6th is coordinator.elected
        waitText(robot, "#auditPage", "of 8");
    }

    @Test
    void followsPushedEventsWithoutPolling(FxRobot robot) throws Exception {
        waitText(robot, "#daemonVersion", "0.1.0");
        robot.clickOn("Audit log");
        waitText(robot, "#auditPage", "of 120");
        long queries = daemon.count("audit.query");

        daemon.push("node.changed", FakeDaemon.json().put("change", "updated")
                .set("node", FakeDaemon.node("node-b", "Replica (Frankfurt)", "10.0.2.11", 50, false, Instant.now(), "unreachable")));
        waitText(robot, "#trayStateLabel", "degraded");
        waitText(robot, "#health", "1 peer unreachable");
        // a long reason (a file path and what to do) is shown whole, not cut with "…"
        com.fasterxml.jackson.databind.node.ObjectNode degraded = FakeDaemon.health("degraded");
        String why = "3 audit event(s) kept out of PostgreSQL in /var/lib/steep-repl/spool/audit.rejected.jsonl "
                + "(the daemon log says why); move the file away once dealt with";
        ((com.fasterxml.jackson.databind.node.ObjectNode) degraded.path("components")).putObject("audit")
                .put("healthy", true).put("status", "events_rejected").put("message", why);
        daemon.push("health.changed", degraded);
        waitText(robot, "#health", "move the file away once dealt with");
        javafx.scene.control.Label health = robot.lookup("#health").queryAs(javafx.scene.control.Label.class);
        waitFx("laid out whole", () -> !health.isTextTruncated());
        // the wide reason takes room from the left column: a long node line wraps rather than ending in "…"
        com.fasterxml.jackson.databind.node.ObjectNode longName = FakeDaemon.status("18.1", true);
        ((com.fasterxml.jackson.databind.node.ObjectNode) longName.path("node")).put("node_name", "Primary replica (Berlin, rack 4)");
        daemon.push("status.changed", longName);
        waitText(robot, "#node", "Primary replica (Berlin, rack 4)");
        javafx.scene.control.Label node = robot.lookup("#node").queryAs(javafx.scene.control.Label.class);
        waitFx("node line whole", () -> !node.isTextTruncated());
        assertThat(fx(() -> health.getTooltip().getText())).contains(why);
        daemon.push("audit.appended", FakeDaemon.json().put("id", 121));
        waitFx("audit reloaded", () -> daemon.count("audit.query") == queries + 1);
        daemon.push("status.changed", FakeDaemon.status("18.2", true));
        waitText(robot, "#postgresql", "18.2 on localhost:5432");
        assertThat(daemon.count("status.get")).isEqualTo(1);
        assertThat(daemon.count("nodes.list")).isEqualTo(1);
    }

    @Test
    void showsTheLostConnectionAndRecoversWhenTheDaemonReturns(FxRobot robot) throws Exception {
        waitText(robot, "#daemonVersion", "0.1.0");
        Node banner = robot.lookup("#connectionBanner").query();
        assertThat(fx(() -> banner.getParent().isVisible())).isFalse();

        daemon.stop();
        waitText(robot, "#connectionBanner", "Reconnecting in");
        assertThat(text(robot, "#connectionBanner")).contains("Lost the connection to the daemon at " + IpcAddress.of(daemon.socket()));
        assertThat(fx(() -> banner.getParent().isVisible())).isTrue();
        assertThat(text(robot, "#trayStateLabel")).isEqualTo("daemon not reachable");

        startDaemon(daemon);
        robot.clickOn("#retryNow");
        waitFx("banner hidden", () -> !banner.getParent().isVisible());
        assertThat(text(robot, "#trayStateLabel")).isEqualTo("healthy");
    }

    @Test
    void anActionWhileDisconnectedSaysTheDaemonIsNotReachable(FxRobot robot) throws Exception {
        waitText(robot, "#daemonVersion", "0.1.0");
        daemon.stop();
        waitText(robot, "#connectionBanner", "Reconnecting");
        robot.clickOn("#restartService");
        waitText(robot, "#errorText", "The daemon is not reachable at " + IpcAddress.of(daemon.socket()));
        assertThat(text(robot, "#errorText")).contains("Start bundled daemon");
    }
}
