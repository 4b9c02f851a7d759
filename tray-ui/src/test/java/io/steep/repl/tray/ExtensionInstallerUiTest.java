package io.steep.repl.tray;

import io.steep.repl.ipc.IpcErrorCode;
import io.steep.repl.tray.testing.FakeDaemon;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

import static org.assertj.core.api.Assertions.assertThat;

class ExtensionInstallerUiTest extends UiTestBase {

    void open(FxRobot robot) {
        waitText(robot, "#daemonVersion", "0.1.0");
        robot.clickOn("#openExtension");
        waitText(robot, "#extPgVersion", "18.1");
    }

    @Test
    void showsTheStatusAndInstallsThroughTheDaemon(FxRobot robot) {
        open(robot);
        assertThat(text(robot, "#extDatabase")).isEqualTo("steep");
        assertThat(text(robot, "#extAvailable")).isEqualTo("yes, version 0.1.0");
        assertThat(text(robot, "#extInstalled")).isEqualTo("no");
        robot.clickOn("#installExtension");
        waitText(robot, "#extMessage", "Installed steep_repl 0.1.0 in database steep.");
        waitText(robot, "#extInstalled", "yes, version 0.1.0");
        assertThat(robot.lookup("#installExtension").queryButton().isDisabled()).isTrue();
        assertThat(fx(() -> robot.lookup("#extProgress").query().isVisible())).isFalse();
    }

    @Test
    void explainsPostgresOlderThan18(FxRobot robot) {
        daemon.on("extension.install", FakeDaemon.fail(IpcErrorCode.INTERNAL_ERROR, "steep_repl requires PostgreSQL 18 or later (server is 17.6)"));
        open(robot);
        robot.clickOn("#installExtension");
        waitText(robot, "#extMessage", "Install failed (INTERNAL_ERROR): steep_repl requires PostgreSQL 18 or later (server is 17.6)");
        waitText(robot, "#extExplanation", "pg_upgrade");
        assertThat(robot.lookup("#installExtension").queryButton().isDisabled()).isFalse();
    }

    @Test
    void explainsMissingExtensionFiles(FxRobot robot) {
        daemon.on("extension.install", FakeDaemon.fail(IpcErrorCode.INTERNAL_ERROR,
                "could not open extension control file \"/usr/share/postgresql/18/extension/steep_repl.control\": No such file or directory"));
        open(robot);
        robot.clickOn("#installExtension");
        waitText(robot, "#extExplanation", "extension_control_path = '$system:/usr/share/steep-repl/postgresql'");
    }

    @Test
    void aPostgres17ServerCannotInstallAndSaysWhy(FxRobot robot) {
        daemon.on("extension.status", p -> FakeDaemon.json().put("postgresql_version", "17.6").put("database", "steep")
                .put("available", false).put("installed", false));
        waitText(robot, "#daemonVersion", "0.1.0");
        robot.clickOn("#openExtension");
        waitText(robot, "#extPgVersion", "17.6");
        waitText(robot, "#extExplanation", "too old: steep_repl needs PostgreSQL 18 or later");
        assertThat(robot.lookup("#installExtension").queryButton().isDisabled()).isTrue();
        assertThat(text(robot, "#extAvailable")).startsWith("no: the extension files are not");
    }
}
