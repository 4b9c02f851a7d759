package io.steep.repl.daemon.service;

import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.condition.DisabledOnOs;
import io.steep.repl.daemon.service.ServiceManager.Operation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisabledOnOs(value = OS.WINDOWS, disabledReason = "simulates a Linux/macOS host under a scratch root: its default paths are java.nio Paths of the running OS, which print /etc/steep with backslashes on Windows")
class SystemdServiceManagerTest {

    private static final String LAUNCHER = "/opt/steep-repl/bin/steep-repl";
    private static final String USER_UNIT = "/home/alice/.config/systemd/user/steep-repl.service";

    @TempDir
    Path root;
    RecordingRunner runner;
    ServiceHost host;
    ServiceControl control;

    @BeforeEach
    void machineWithSystemdAndTheDebInstalled() throws Exception {
        runner = new RecordingRunner();
        host = ScratchHosts.linux(root, runner);
        ScratchHosts.executable(host, LAUNCHER);
        ScratchHosts.directory(host, "/run/systemd/system");
        control = new ServiceControl(host);
    }

    @Test
    void installWritesTheUnitAndAccountAndEnablesItForBoot() throws Exception {
        control.perform(Operation.INSTALL, ServiceScope.SYSTEM, InstallOptions.defaults());

        Path unit = root.resolve("etc/systemd/system/steep-repl.service");
        assertThat(Files.readString(unit)).isEqualTo(
                new SystemdUnit(ServiceScope.SYSTEM, LAUNCHER, "/etc/steep/config.yaml", new java.util.LinkedHashMap<>()).render());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(unit))).isEqualTo("rw-r--r--");
        assertThat(Files.readString(root.resolve("etc/sysusers.d/steep-repl.conf"))).contains("u steep-repl - ");
        assertThat(runner.changes()).containsExactly(
                "systemd-sysusers /etc/sysusers.d/steep-repl.conf",
                "systemctl daemon-reload",
                "systemctl enable steep-repl.service");
    }

    @Test
    void userInstallGoesToTheUserManager() throws Exception {
        runner.answer("id -u", 0, "1000\n");
        ServiceControl.Outcome outcome = control.perform(Operation.INSTALL, ServiceScope.USER,
                new InstallOptions(Optional.of("/home/alice/steep.yaml"), Optional.empty()));

        assertThat(Files.readString(host.file(USER_UNIT)))
                .contains("ExecStart=/opt/steep-repl/bin/steep-repl run --config /home/alice/steep.yaml")
                .contains("WantedBy=default.target");
        assertThat(root.resolve("etc")).doesNotExist();
        assertThat(runner.changes()).containsExactly("systemctl --user daemon-reload", "systemctl --user enable steep-repl.service");
        assertThat(outcome.log()).contains("loginctl enable-linger alice");
    }

    @Test
    void plainDistributionLauncherGetsTheJdkFromInstallTime() throws Exception {
        ServiceHost dist = new ServiceHost(host.os(), root, host.home(), java.util.Map.of("JAVA_HOME", "/opt/jdk-25"),
                runner, Optional.of("/srv/steep-repl"), Optional.empty(), false);
        ScratchHosts.executable(dist, "/srv/steep-repl/bin/steep-repl");

        new ServiceControl(dist).perform(Operation.INSTALL, ServiceScope.SYSTEM, InstallOptions.defaults());

        assertThat(Files.readString(root.resolve("etc/systemd/system/steep-repl.service")))
                .contains("ExecStart=/srv/steep-repl/bin/steep-repl run --config /etc/steep/config.yaml")
                .contains("Environment=JAVA_HOME=/opt/jdk-25");
    }

    @Test
    void uninstallStopsDisablesAndRemovesButKeepsConfigAndData() throws Exception {
        control.perform(Operation.INSTALL, ServiceScope.SYSTEM, InstallOptions.defaults());
        Files.createDirectories(root.resolve("etc/steep"));
        Files.writeString(root.resolve("etc/steep/config.yaml"), "repl: {}\n");
        RecordingRunner fresh = new RecordingRunner();
        ServiceHost again = ScratchHosts.linux(root, fresh);

        new ServiceControl(again).perform(Operation.UNINSTALL, ServiceScope.SYSTEM, InstallOptions.defaults());

        assertThat(root.resolve("etc/systemd/system/steep-repl.service")).doesNotExist();
        assertThat(root.resolve("etc/sysusers.d/steep-repl.conf")).doesNotExist();
        assertThat(root.resolve("etc/steep/config.yaml")).exists();
        assertThat(fresh.changes()).containsExactly("systemctl disable --now steep-repl.service", "systemctl daemon-reload");
    }

    @Test
    void startStopRestartRunSystemctl() throws Exception {
        control.perform(Operation.INSTALL, ServiceScope.SYSTEM, InstallOptions.defaults());
        control.perform(Operation.INSTALL, ServiceScope.USER, InstallOptions.defaults());
        RecordingRunner fresh = new RecordingRunner();
        ServiceControl c = new ServiceControl(ScratchHosts.linux(root, fresh));
        for (Operation op : new Operation[]{Operation.START, Operation.STOP, Operation.RESTART}) {
            c.perform(op, ServiceScope.SYSTEM, InstallOptions.defaults());
            c.perform(op, ServiceScope.USER, InstallOptions.defaults());
        }
        assertThat(fresh.changes()).containsExactly(
                "systemctl start steep-repl.service", "systemctl --user start steep-repl.service",
                "systemctl stop steep-repl.service", "systemctl --user stop steep-repl.service",
                "systemctl restart steep-repl.service", "systemctl --user restart steep-repl.service");
    }

    @Test
    void notRootIsRefusedWithSudoAndUserAdvice() {
        runner.answer("id -u", 0, "1000\n");
        assertThatThrownBy(() -> control.perform(Operation.INSTALL, ServiceScope.SYSTEM, InstallOptions.defaults()))
                .isInstanceOf(ServiceException.class)
                .hasMessage("installing the system service needs root: run with sudo, or use --user for a per-user service")
                .extracting(e -> ((ServiceException) e).reason()).isEqualTo(ServiceException.Reason.NOT_PRIVILEGED);
        assertThat(runner.changes()).isEmpty();
        assertThat(root.resolve("etc")).doesNotExist();
    }

    @Test
    void systemdNotRunningIsRefused() throws Exception {
        Files.delete(root.resolve("run/systemd/system"));
        assertThatThrownBy(() -> control.perform(Operation.INSTALL, ServiceScope.SYSTEM, InstallOptions.defaults()))
                .isInstanceOf(ServiceException.class).hasMessageContaining("systemd is not running")
                .hasMessageContaining("--dry-run");
        assertThatThrownBy(() -> control.perform(Operation.START, ServiceScope.USER, InstallOptions.defaults()))
                .hasMessageContaining("systemd is not running");
        assertThat(runner.changes()).isEmpty();
    }

    @Test
    void missingLauncherIsRefusedWithTheFix() {
        assertThatThrownBy(() -> control.perform(Operation.INSTALL, ServiceScope.SYSTEM,
                new InstallOptions(Optional.empty(), Optional.of("/nowhere/steep-repl"))))
                .isInstanceOf(ServiceException.class)
                .hasMessage("launcher not found at /nowhere/steep-repl; reinstall or pass --launcher PATH");
        assertThat(root.resolve("etc")).doesNotExist();
    }

    @Test
    void secondInstallIsRefusedAndChangesNothing() throws Exception {
        control.perform(Operation.INSTALL, ServiceScope.SYSTEM, InstallOptions.defaults());
        Path unit = root.resolve("etc/systemd/system/steep-repl.service");
        Files.writeString(unit, "# edited by the admin\n", java.nio.file.StandardOpenOption.APPEND);
        String before = Files.readString(unit);

        assertThatThrownBy(() -> control.perform(Operation.INSTALL, ServiceScope.SYSTEM, InstallOptions.defaults()))
                .isInstanceOf(ServiceException.class)
                .hasMessageContaining("already installed (/etc/systemd/system/steep-repl.service)")
                .hasMessageContaining("steep-repl uninstall");
        assertThat(Files.readString(unit)).isEqualTo(before);
    }

    @Test
    void operationsOnAMissingServiceSayInstallFirst() {
        for (Operation op : new Operation[]{Operation.UNINSTALL, Operation.START, Operation.STOP, Operation.RESTART}) {
            assertThatThrownBy(() -> control.perform(op, ServiceScope.USER, InstallOptions.defaults()))
                    .isInstanceOf(ServiceException.class)
                    .hasMessage("steep-repl is not installed as a service; run `steep-repl install --user` first");
        }
        assertThat(runner.changes()).isEmpty();
    }

    @Test
    void aFailedEnableRollsTheWrittenFilesBack() {
        runner.answer("systemctl enable", 1, "Failed to enable unit: Access denied");

        assertThatThrownBy(() -> control.perform(Operation.INSTALL, ServiceScope.SYSTEM, InstallOptions.defaults()))
                .isInstanceOf(ServiceException.class)
                .hasMessage("`systemctl enable steep-repl.service` failed (exit 1): Failed to enable unit: Access denied");
        assertThat(root.resolve("etc/systemd/system/steep-repl.service")).doesNotExist();
        assertThat(root.resolve("etc/sysusers.d/steep-repl.conf")).doesNotExist();
    }

    @Test
    void dryRunShowsEverythingAndTouchesNothing() throws Exception {
        var before = ScratchHosts.tree(root);

        String text = control.dryRun(Operation.INSTALL, ServiceScope.SYSTEM, InstallOptions.defaults(), Optional.empty());

        assertThat(ScratchHosts.tree(root)).isEqualTo(before);
        assertThat(runner.changes()).isEmpty();
        assertThat(text).contains("write /etc/systemd/system/steep-repl.service (mode 0644):")
                .contains(new SystemdUnit(ServiceScope.SYSTEM, LAUNCHER, "/etc/steep/config.yaml", new java.util.LinkedHashMap<>()).render())
                .contains("run: systemd-sysusers /etc/sysusers.d/steep-repl.conf")
                .contains("run: systemctl daemon-reload")
                .contains("run: systemctl enable steep-repl.service");
    }

    @Test
    void statusReportsStateEnabledPidAndUptime() throws Exception {
        control.perform(Operation.INSTALL, ServiceScope.SYSTEM, InstallOptions.defaults());
        long pid = ProcessHandle.current().pid();
        runner.answer("systemctl show", 0, """
                LoadState=loaded
                UnitFileState=enabled
                ActiveState=active
                SubState=running
                MainPID=%d
                """.formatted(pid));

        ServiceStatus s = control.status(false);

        assertThat(s.manager()).isEqualTo("systemd");
        assertThat(s.installed()).isTrue();
        assertThat(s.enabled()).isTrue();
        assertThat(s.state()).isEqualTo(ServiceStatus.State.ACTIVE);
        assertThat(s.mainPid()).isEqualTo(pid);
        Instant started = ProcessHandle.current().info().startInstant().orElseThrow();
        assertThat(s.since()).isEqualTo(started);
        assertThat(s.uptime(started.plusSeconds(90))).contains(Duration.ofSeconds(90));
    }

    @Test
    void statusOfAFailedAndOfAMissingService() throws Exception {
        assertThat(control.status(false).installed()).isFalse();
        assertThat(control.status(false).state()).isEqualTo(ServiceStatus.State.UNKNOWN);

        control.perform(Operation.INSTALL, ServiceScope.SYSTEM, InstallOptions.defaults());
        runner.answer("systemctl show", 0, "UnitFileState=disabled\nActiveState=failed\nSubState=failed\nMainPID=0\n");
        ServiceStatus s = control.status(false);
        assertThat(s.state()).isEqualTo(ServiceStatus.State.FAILED);
        assertThat(s.enabled()).isFalse();
        assertThat(s.mainPid()).isNull();
        assertThat(s.uptime(Instant.now())).isEmpty();
    }
}
