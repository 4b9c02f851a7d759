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
        assertThat(text(robot, "#extRole")).isEqualTo("postgres (superuser)");
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
        daemon.on("extension.install", FakeDaemon.fail(IpcErrorCode.UNSUPPORTED_VERSION, "steep_repl requires PostgreSQL 18 or later (server is 17.6)"));
        open(robot);
        robot.clickOn("#installExtension");
        waitText(robot, "#extMessage", "Install failed (UNSUPPORTED_VERSION): steep_repl requires PostgreSQL 18 or later (server is 17.6)");
        waitText(robot, "#extExplanation", "pg_upgrade");
        assertThat(robot.lookup("#installExtension").queryButton().isDisabled()).isFalse();
    }

    @Test
    void explainsMissingExtensionFiles(FxRobot robot) {
        daemon.on("extension.install", FakeDaemon.fail(IpcErrorCode.EXTENSION_FILES_MISSING,
                "PostgreSQL 18.1 has no steep_repl extension files (ERROR: extension \"steep_repl\" is not available)."));
        open(robot);
        robot.clickOn("#installExtension");
        waitText(robot, "#extMessage", "Install failed (EXTENSION_FILES_MISSING)");
        waitText(robot, "#extExplanation", "extension_control_path = '$system:DIR'");
        assertThat(text(robot, "#extExplanation")).contains("'$system:/opt/steep-repl/share'");
    }

    @Test
    void aPostgres17ServerCannotInstallAndSaysWhy(FxRobot robot) {
        daemon.on("extension.status", p -> FakeDaemon.extensionStatus("17.6", 170006, false, null));
        waitText(robot, "#daemonVersion", "0.1.0");
        robot.clickOn("#openExtension");
        waitText(robot, "#extPgVersion", "17.6");
        waitText(robot, "#extExplanation", "too old: steep_repl needs PostgreSQL 18 or later");
        assertThat(robot.lookup("#installExtension").queryButton().isDisabled()).isTrue();
        assertThat(text(robot, "#extAvailable")).startsWith("no: the extension files are not");
    }

    @Test
    void anOlderInstalledVersionOffersTheUpdate(FxRobot robot) {
        daemon.on("extension.status", p -> FakeDaemon.extensionStatus("18.1", 180001, true, "0.0.9"));
        daemon.on("extension.install", p -> FakeDaemon.extensionStatus("18.1", 180001, true, "0.1.0")
                .put("action", "updated").put("previous_version", "0.0.9"));
        open(robot);
        assertThat(text(robot, "#extInstalled")).isEqualTo("yes, version 0.0.9 (update to 0.1.0 available)");
        assertThat(robot.lookup("#installExtension").queryButton().getText()).isEqualTo("Update steep_repl");
        robot.clickOn("#installExtension");
        waitText(robot, "#extMessage", "Updated steep_repl from 0.0.9 to 0.1.0 in database steep.");
    }
}
