package io.steep.repl.tray;

import io.steep.repl.testing.IpcAddress;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

import static org.assertj.core.api.Assertions.assertThat;

/** The tray started before the daemon: it says so, keeps trying, and connects once the daemon is there. */
class StartsWithoutDaemonUiTest extends UiTestBase {

    @Override
    protected boolean daemonUpAtStart() {
        return false;
    }

    @Test
    void keepsReconnectingWithBackoffUntilTheDaemonStarts(FxRobot robot) {
        waitText(robot, "#connectionBanner", "Daemon not reachable at " + IpcAddress.of(daemon.socket()));
        assertThat(text(robot, "#connectionBanner")).contains("does not exist", "Reconnecting in", "(attempt ");
        assertThat(robot.lookup("#startBundledDaemon").tryQuery()).isPresent();
        waitText(robot, "#connectionBanner", "(attempt 3)");
        startDaemon(daemon);
        waitText(robot, "#daemonVersion", "0.1.0");
        assertThat(text(robot, "#trayStateLabel")).isEqualTo("healthy");
    }
}
