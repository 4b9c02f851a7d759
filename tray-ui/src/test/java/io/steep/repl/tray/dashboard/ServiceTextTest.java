package io.steep.repl.tray.dashboard;

import io.steep.repl.tray.connection.DaemonModel;
import io.steep.repl.tray.testing.FakeDaemon;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's service line, and whether its service buttons are on, from service.status as the daemon answers it (scope, state, running, …). */
class ServiceTextTest {

    @Test
    void namesStateScopeAndPid() {
        assertThat(DashboardWindow.serviceText(FakeDaemon.json().put("manager", "systemd").put("scope", "system")
                .put("installed", true).put("enabled", true).put("state", "active").put("running", true).put("main_pid", 77)))
                .isEqualTo("active (system, enabled, pid 77)");
        assertThat(DashboardWindow.serviceText(FakeDaemon.json().put("scope", "user").put("installed", true)
                .put("enabled", false).put("state", "failed").put("running", false)))
                .isEqualTo("failed (user)");
    }

    @Test
    void notInstalledAndNoAnswer() {
        assertThat(DashboardWindow.serviceText(FakeDaemon.json().put("scope", "system").put("installed", false)
                .put("state", "unknown"))).isEqualTo("not installed (system)");
        assertThat(DashboardWindow.serviceText(null)).isEqualTo("unknown");
    }

    @Test
    void serviceActionsAreOffOnlyWhenTheDaemonSaysNoneIsInstalled() {
        assertThat(DaemonModel.noServiceInstalled(FakeDaemon.json().put("scope", "system").put("installed", false))).isTrue();
        assertThat(DaemonModel.noServiceInstalled(FakeDaemon.json().put("scope", "user").put("installed", true))).isFalse();
        // no answer yet, or a platform without a service manager: the daemon answers for itself
        assertThat(DaemonModel.noServiceInstalled(null)).isFalse();
        assertThat(DaemonModel.noServiceInstalled(FakeDaemon.json().put("manager", "none").put("state", "unknown"))).isFalse();
    }
}
