package io.steep.repl.tray;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.ipc.IpcErrorCode;
import io.steep.repl.tray.testing.FakeDaemon;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

import java.util.List;

import static io.steep.repl.tray.testing.FakeDaemon.json;
import static org.assertj.core.api.Assertions.assertThat;

class ServiceUiTest extends UiTestBase {

    @Test
    void installingASystemServiceWithoutRightsShowsTheDaemonsErrorAndTheFix(FxRobot robot) {
        waitText(robot, "#daemonVersion", "0.1.0");
        robot.clickOn("#installService");
        robot.clickOn("#confirmInstallService");
        waitText(robot, "#serviceOutcome", "Install failed (PERMISSION_DENIED): install steep-repl (systemd, system service) needs root");
        assertThat(text(robot, "#serviceOutcome")).contains("sudo steep-repl install");
        assertThat(daemon.last("service.install").params().path("mode").asText()).isEqualTo("system");

        robot.clickOn("#modeUser");
        robot.clickOn("#confirmInstallService");
        waitText(robot, "#serviceOutcome", "Installed the user service (systemd). done: install steep-repl (systemd, user service)");
        assertThat(text(robot, "#serviceOutcome")).contains("systemctl --user install steep-repl.service");
        assertThat(daemon.last("service.install").params().path("mode").asText()).isEqualTo("user");
    }

    @Test
    void startStopRestartAreIpcCallsAndErrorsAreShown(FxRobot robot) {
        waitText(robot, "#daemonVersion", "0.1.0");
        robot.clickOn("#restartService");
        waitFx("restart called", () -> daemon.count("service.restart") == 1);
        robot.clickOn("#stopService");
        robot.clickOn("OK"); // the confirmation
        waitFx("stop called", () -> daemon.count("service.stop") == 1);

        daemon.on("service.start", FakeDaemon.fail(IpcErrorCode.PERMISSION_DENIED, "starting steep-repl.service needs root (polkit refused)"));
        robot.clickOn("#startService");
        waitText(robot, "#errorText", "starting steep-repl.service needs root (polkit refused)");
        assertThat(text(robot, "#errorText")).contains("elevated rights");
    }

    @Test
    void withoutAnInstalledServiceOnlyInstallIsOffered(FxRobot robot) {
        waitText(robot, "#service", "active (user");
        assertThat(disabled(robot, "#startService")).isFalse();

        statusBecomes(robot, json().put("scope", "system").put("installed", false).put("state", "inactive"), "not installed (system)");
        for (String button : List.of("#startService", "#stopService", "#restartService", "#uninstallService")) {
            assertThat(disabled(robot, button)).as(button).isTrue();
        }
        assertThat(disabled(robot, "#installService")).isFalse();

        statusBecomes(robot, json().put("scope", "user").put("installed", true).put("state", "active"), "active (user)");
        assertThat(disabled(robot, "#startService")).isFalse();
    }

    /** The fake daemon's service.status answers {@code status} from now on; waits for the service line to show it. */
    private void statusBecomes(FxRobot robot, ObjectNode status, String shown) {
        daemon.on("service.status", p -> status.put("manager", "systemd"));
        fx(() -> {
            app.connection().refresh();
            return null;
        });
        waitText(robot, "#service", shown);
    }

    private static boolean disabled(FxRobot robot, String button) {
        return fx(() -> robot.lookup(button).queryButton().isDisabled());
    }

    @Test
    void uninstallAsksFirstAndShowsTheDaemonsError(FxRobot robot) {
        daemon.on("service.uninstall", FakeDaemon.fail(IpcErrorCode.NOT_IMPLEMENTED, "service.uninstall is not available in this build of steep-repl yet"));
        waitText(robot, "#daemonVersion", "0.1.0");
        robot.clickOn("#uninstallService");
        robot.clickOn("OK");
        waitText(robot, "#errorText", "service.uninstall is not available in this build of steep-repl yet");
        assertThat(text(robot, "#errorText")).contains("does not offer this action yet");
        assertThat(daemon.count("service.uninstall")).isEqualTo(1);
    }

    @Test
    void restartingTheDaemonThatAnswersSaysSoAndTheTrayReconnects(FxRobot robot) throws Exception {
        // the real daemon, when it is the service: answers scheduled, then goes away and comes back
        daemon.on("service.restart", p -> {
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    Thread.sleep(300);
                    daemon.stop();
                    Thread.sleep(300);
                    daemon.start();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            return FakeDaemon.json().put("operation", "restart").put("scope", "user").put("manager", "systemd")
                    .put("dry_run", false).put("scheduled", true).put("message", "this daemon is the service: restart"
                            + " steep-repl (systemd, user service) starts in 1000 ms, after this answer; the connection will"
                            + " close and the daemon come back");
        });
        waitText(robot, "#daemonVersion", "0.1.0");
        robot.clickOn("#restartService");
        waitText(robot, "#serviceScheduledText", "this daemon is the service: restart steep-repl");
        assertThat(text(robot, "#serviceScheduledText")).contains("keeps trying to reconnect");
        waitFx("second session after the restart", () -> daemon.count("events.subscribe") >= 2);
        waitText(robot, "#trayStateLabel", "healthy");
    }

    @Test
    void stoppingCanBeCancelled(FxRobot robot) {
        waitText(robot, "#daemonVersion", "0.1.0");
        robot.clickOn("#stopService");
        robot.clickOn("Cancel");
        robot.clickOn("#restartService"); // something that surely reaches the daemon after the cancel
        waitFx("restart called", () -> daemon.count("service.restart") == 1);
        assertThat(daemon.count("service.stop")).isZero();
    }
}
