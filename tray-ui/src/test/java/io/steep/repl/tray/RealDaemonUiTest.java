package io.steep.repl.tray;

import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.condition.DisabledOnOs;
import io.steep.repl.testing.PgServer;
import io.steep.repl.tray.connection.NodeRow;
import io.steep.repl.tray.testing.RealDaemon;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

import java.sql.Connection;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard against the real daemon on real PostgreSQL 18 with the steep_repl extension: status, nodes, audit
 * log, service line, and a {@code kill -9} of the daemon followed by a restart.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "RealDaemon starts bin/steep-repl (a /bin/sh launcher) and waits for its unix socket file; Windows has a named pipe")
class RealDaemonUiTest extends RealDaemonUiTestBase {

    RealDaemon daemonWithExtension(PgServer pg) throws Exception {
        String db = pg.createDatabase("tray_real");
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION steep_repl");
        }
        return RealDaemon.configure(pg, db);
    }

    @Test
    void showsTheRealDaemonAndFollowsItThroughAKill(PgServer pg, FxRobot robot) throws Exception {
        openTray(daemonWithExtension(pg), robot);
        assertThat(text(robot, "#postgresql")).startsWith("18.");
        assertThat(text(robot, "#node")).startsWith("tray-node (Tray Test Node)");
        TableView<NodeRow> nodes = robot.lookup("#nodesTable").queryTableView();
        waitFx("this node registered", () -> nodes.getItems().stream().anyMatch(n -> n.nodeId().equals("tray-node")));

        robot.clickOn("Audit log");
        waitFx("audit page from PostgreSQL", () -> text(robot, "#auditPage").matches("1–\\d+ of \\d+"));

        // the daemon dies without a goodbye: the tray says so and keeps trying
        daemon.kill();
        waitText(robot, "#connectionBanner", "Reconnecting in");
        assertThat(text(robot, "#trayStateLabel")).isEqualTo("daemon not reachable");

        daemon.start();
        waitFx("reconnected to the new daemon", () -> !robot.lookup("#connectionBanner").query().getParent().isVisible());
        waitFx("fresh status", () -> text(robot, "#daemonVersion").contains("running"));
    }

    @Test
    void theServiceLineReadsTheRealServiceStatus(PgServer pg, FxRobot robot) throws Exception {
        openTray(daemonWithExtension(pg), robot);
        // service.status of a test machine: no steep-repl service installed (or no service manager at all: unknown);
        // either way the line names the scope the daemon answered with, not the fake's "mode"
        waitFx("service line filled", () -> !text(robot, "#service").equals("—"));
        assertThat(text(robot, "#service")).matches("not installed \\((system|user)\\)|unknown|\\w+ \\((system|user).*\\)");
    }

    @Test
    void theExtensionInstallerShowsTheInstalledExtension(PgServer pg, FxRobot robot) throws Exception {
        openTray(daemonWithExtension(pg), robot);
        robot.clickOn("#openExtension");
        waitText(robot, "#extInstalled", "yes, version 0.1.0");
        assertThat(text(robot, "#extPgVersion")).startsWith("18.");
        assertThat(text(robot, "#extRole")).endsWith("(superuser)");
        assertThat(text(robot, "#extAvailable")).isEqualTo("yes, version 0.1.0");
        assertThat(robot.lookup("#installExtension").queryButton().isDisabled()).isTrue();
    }
}
