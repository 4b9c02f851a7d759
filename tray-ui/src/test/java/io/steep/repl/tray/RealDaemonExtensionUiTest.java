package io.steep.repl.tray;

import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.condition.DisabledOnOs;
import io.steep.repl.testing.EmbeddedPgServer;
import io.steep.repl.testing.PgServer;
import io.steep.repl.testing.RealPostgres;
import io.steep.repl.tray.testing.RealDaemon;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The extension installer against the real daemon: a database without steep_repl gets it; a role that is not a
 * superuser and a PostgreSQL 17 server get the daemon's refusal explained, and nothing is installed.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "RealDaemon starts bin/steep-repl (a /bin/sh launcher) and waits for its unix socket file; Windows has a named pipe")
class RealDaemonExtensionUiTest extends RealDaemonUiTestBase {

    private static final AtomicInteger ROLES = new AtomicInteger();

    static String installedVersion(PgServer server, String db) throws Exception {
        try (Connection c = server.connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'steep_repl'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void installsTheExtensionIntoADatabaseWithoutIt(PgServer pg, FxRobot robot) throws Exception {
        String db = pg.createDatabase("tray_ext_bare");
        openTray(RealDaemon.configure(pg, db), robot);
        robot.clickOn("#openExtension");
        waitText(robot, "#extInstalled", "no");
        assertThat(text(robot, "#extDatabase")).isEqualTo(db);
        assertThat(text(robot, "#extPgVersion")).startsWith("18.");
        assertThat(text(robot, "#extAvailable")).isEqualTo("yes, version 0.1.0");
        assertThat(robot.lookup("#installExtension").queryButton().isDisabled()).isFalse();

        robot.clickOn("#installExtension");
        waitText(robot, "#extMessage", "Installed steep_repl 0.1.0 in database " + db + ".");
        waitText(robot, "#extInstalled", "yes, version 0.1.0");
        assertThat(robot.lookup("#installExtension").queryButton().isDisabled()).isTrue();
        assertThat(installedVersion(pg, db)).isEqualTo("0.1.0");
        // the daemon re-probes at once: the dashboard turns connected to PostgreSQL without waiting
        waitFx("PostgreSQL connected in the dashboard", () -> text(robot, "#postgresql").startsWith("18."));
    }

    @Test
    void aRoleThatIsNotASuperuserIsToldToCreateItAsPostgres(PgServer pg, FxRobot robot) throws Exception {
        String db = pg.createDatabase("tray_ext_role");
        String role = "tray_plain_" + ROLES.incrementAndGet() + "_" + ProcessHandle.current().pid();
        String password = "not-a-secret";
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "' NOSUPERUSER");
        }
        openTray(RealDaemon.configure(pg, db, role, password), robot);
        robot.clickOn("#openExtension");
        waitText(robot, "#extRole", role + " (not a superuser)");
        // said before anyone clicks
        waitText(robot, "#extExplanation", "sudo -u postgres psql -d " + db + " -c 'CREATE EXTENSION steep_repl'");

        robot.clickOn("#installExtension");
        waitText(robot, "#extMessage", "Install failed (PERMISSION_DENIED): CREATE EXTENSION steep_repl needs a superuser");
        assertThat(text(robot, "#extMessage")).contains("the daemon connects as " + role);
        assertThat(text(robot, "#extExplanation")).contains("superuser = true",
                "SELECT steep_repl.grant_daemon_access('" + role + "')");
        assertThat(robot.lookup("#installExtension").queryButton().isDisabled()).isFalse();
        assertThat(installedVersion(pg, db)).isNull();
    }

    @Test
    void aPostgres17ServerIsRefusedWithTheReason(FxRobot robot) throws Exception {
        // copied aside by the extension module during the reactor build (two binaries jars cannot share a classpath)
        Path jar = Path.of(System.getProperty("steep.pg17.jar", "../extension/target/pg17/pg17-binaries.jar"));
        assumeTrue(Files.exists(jar), "PG 17 binaries jar not built: " + jar);
        EmbeddedPgServer pg17 = EmbeddedPgServer.startFromBinariesJar(RealPostgres.targetDir().resolve("embedded-pg/pg17-tray-"
                + ProcessHandle.current().pid()), jar);
        try {
            pg17.installExtensionFiles(); // so the refusal is about the version, not about missing files
            openTray(RealDaemon.configure(pg17, "postgres"), robot);
            robot.clickOn("#openExtension");
            waitText(robot, "#extPgVersion", "17.");
            waitText(robot, "#extExplanation", "is too old: steep_repl needs PostgreSQL 18 or later");
            assertThat(text(robot, "#extExplanation")).contains("pg_upgrade");
            assertThat(robot.lookup("#installExtension").queryButton().isDisabled()).isTrue();
            assertThat(installedVersion(pg17, "postgres")).isNull();
        } finally {
            if (daemon != null) {
                daemon.close();
            }
            pg17.close();
        }
    }
}
