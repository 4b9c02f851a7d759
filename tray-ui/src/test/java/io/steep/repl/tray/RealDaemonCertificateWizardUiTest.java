package io.steep.repl.tray;

import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.condition.DisabledOnOs;
import io.steep.repl.testing.PgServer;
import io.steep.repl.tray.testing.RealDaemon;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The certificate wizard against the real daemon, which does the cryptography and writes the files: a CA in a temp
 * directory, this node's certificate signed by it, the CA kept when the user does not confirm replacing it, and a
 * relative path resolved against the home directory before the daemon sees it.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "RealDaemon starts bin/steep-repl (a /bin/sh launcher) and waits for its unix socket file; Windows has a named pipe")
class RealDaemonCertificateWizardUiTest extends RealDaemonUiTestBase {

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    void set(FxRobot robot, String field, String text) {
        TextField f = robot.lookup(field).queryAs(TextField.class);
        robot.interact(() -> f.setText(text));
    }

    void openWizard(PgServer pg, FxRobot robot) throws Exception {
        String db = pg.createDatabase("tray_certs");
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION steep_repl");
        }
        openTray(RealDaemon.configure(pg, db), robot);
        robot.clickOn("#openCertWizard");
        waitFx("wizard shown", () -> robot.lookup("#runTask").tryQuery().isPresent());
    }

    @Test
    void createsACaIssuesThisNodesCertificateAndKeepsTheCaUnlessConfirmed(PgServer pg, FxRobot robot) throws Exception {
        openWizard(pg, robot);
        // prefilled with the daemon's certificate directory: certs/ next to its config
        assertThat(text(robot, "#caInitDir")).isEqualTo(daemon.dir().resolve("certs").toString());
        Path ca = daemon.dir().resolve("cluster-ca");
        set(robot, "#caInitDir", ca.toString());
        robot.clickOn("#runTask");
        waitText(robot, "#certResultTitle", "Done");
        waitAnyText(robot, "#certResult .label", "Subject: CN=steep-repl cluster CA");
        waitAnyText(robot, "#certResult .label", "Certificate file: " + ca.resolve("ca-cert.pem"));
        waitAnyText(robot, "#certResult .label", " days left)");
        assertThat(mode(ca)).isEqualTo("rwx------");
        assertThat(mode(ca.resolve("ca-key.pem"))).isEqualTo("rw-------");
        assertThat(mode(ca.resolve("ca-cert.pem"))).isEqualTo("rw-r--r--");
        byte[] caCert = Files.readAllBytes(ca.resolve("ca-cert.pem"));

        // this node, signed by the CA just made (the wizard carries its directory over)
        robot.clickOn("#issueNode");
        assertThat(text(robot, "#nodeId")).isEqualTo("tray-node");
        Path out = daemon.dir().resolve("node");
        set(robot, "#nodeHosts", "localhost, 127.0.0.1");
        set(robot, "#nodeOutDir", out.toString());
        robot.clickOn("#runTask");
        waitText(robot, "#certResultTitle", "Done");
        waitAnyText(robot, "#certResult .label", "Subject: CN=tray-node");
        waitAnyText(robot, "#certResult .label", "SANs: URI:spiffe://steep-repl/node/tray-node, DNS:localhost, IP:127.0.0.1");
        waitAnyText(robot, "#certResult .label", "Private key file: " + out.resolve("node-key.pem"));
        assertThat(mode(out.resolve("node-key.pem"))).isEqualTo("rw-------");
        assertThat(mode(out.resolve("node-cert.pem"))).isEqualTo("rw-r--r--");
        assertThat(Files.readAllBytes(out.resolve("ca-cert.pem"))).isEqualTo(caCert);

        // creating the CA again: the daemon refuses, the wizard asks, the user keeps it
        robot.clickOn("#createCa");
        robot.clickOn("#runTask");
        waitText(robot, "#confirmReplaceText", "a CA already exists in " + ca);
        robot.clickOn("#keepCa");
        waitText(robot, "#certResultTitle", "The existing CA was kept");
        assertThat(Files.readAllBytes(ca.resolve("ca-cert.pem"))).isEqualTo(caCert);

        // using it as the existing CA reads it back
        robot.clickOn("#existingCa");
        assertThat(text(robot, "#caDir")).isEqualTo(ca.toString());
        robot.clickOn("#runTask");
        waitText(robot, "#certResultTitle", "CA found");
        waitAnyText(robot, "#certResult .label", "File: " + ca.resolve("ca-cert.pem"));
    }

    @Test
    void aRelativeDirectoryIsTakenFromHomeAndTheDaemonsNotFoundIsShown(PgServer pg, FxRobot robot) throws Exception {
        openWizard(pg, robot);
        String name = "steep-tray-no-such-dir-" + ProcessHandle.current().pid();
        Path resolved = Path.of(System.getProperty("user.home"), name);
        assertThat(resolved).doesNotExist();
        robot.clickOn("#existingCa");
        set(robot, "#caDir", name);
        robot.clickOn("#runTask");
        // not INVALID_PARAMS (relative path): the daemon looked at the absolute path and found nothing
        waitText(robot, "#certResultTitle", "Failed (NOT_FOUND)");
        waitAnyText(robot, "#certResult .label", resolved + ": no such directory");
    }
}
