package io.steep.repl.daemon.service;

import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.condition.DisabledOnOs;
import io.steep.repl.daemon.service.ServiceManager.Operation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisabledOnOs(value = OS.WINDOWS, disabledReason = "simulates a Linux/macOS host under a scratch root: its default paths are java.nio Paths of the running OS, which print /etc/steep with backslashes on Windows")
class LaunchdServiceManagerTest {

    private static final String LAUNCHER = "/Applications/steep-repl.app/Contents/MacOS/steep-repl";
    private static final String AGENT = "/Users/alice/Library/LaunchAgents/io.steep.repl.plist";

    @TempDir
    Path root;
    RecordingRunner runner;
    ServiceHost host;
    ServiceControl control;

    @BeforeEach
    void macWithTheAppInstalled() throws Exception {
        runner = new RecordingRunner();
        host = ScratchHosts.macos(root, runner);
        ScratchHosts.executable(host, LAUNCHER);
        control = new ServiceControl(host);
    }

    @Test
    void installCreatesTheAccountDirectoriesAndPlistAndEnablesIt() throws Exception {
        runner.answer("id -u _steep-repl", 1, "id: _steep-repl: no such user");
        runner.answer("dscl . -list /Users UniqueID", 0, "_www 70\n_taskgated 13\n_x 300\nnobody -2\n");
        runner.answer("dscl . -list /Groups PrimaryGroupID", 0, "_y 301\nwheel 0\n");

        control.perform(Operation.INSTALL, ServiceScope.SYSTEM, InstallOptions.defaults());

        String plist = Files.readString(host.file(LaunchdServiceManager.SYSTEM_PLIST));
        assertThat(LaunchdPlistTest.parse(plist).get("UserName").getTextContent()).isEqualTo("_steep-repl");
        assertThat(plist).contains("<string>/Library/Application Support/steep/config.yaml</string>");
        assertThat(host.file("/Library/Logs/steep-repl")).isDirectory();
        assertThat(host.file("/Library/Application Support/steep/data")).isDirectory();
        assertThat(runner.changes()).contains(
                "dscl . -create /Groups/_steep-repl PrimaryGroupID 302",
                "dscl . -create /Users/_steep-repl UniqueID 302",
                "dscl . -create /Users/_steep-repl UserShell /usr/bin/false",
                "chown _steep-repl:_steep-repl /Library/Logs/steep-repl /Library/Application Support/steep/data");
        assertThat(runner.changes().getLast()).isEqualTo("launchctl enable system/io.steep.repl");
    }

    @Test
    void anExistingAccountIsReused() {
        control.perform(Operation.INSTALL, ServiceScope.SYSTEM, InstallOptions.defaults());
        assertThat(runner.lines()).noneMatch(l -> l.startsWith("dscl"));
    }

    @Test
    void freeIdSkipsIdsUsedByUsersOrGroups() {
        assertThat(LaunchdServiceManager.freeId(Set.of(300, 302), Set.of(301))).isEqualTo(303);
        assertThatThrownBy(() -> LaunchdServiceManager.freeId(
                java.util.stream.IntStream.rangeClosed(300, 499).boxed().collect(java.util.stream.Collectors.toSet()), Set.of()))
                .isInstanceOf(ServiceException.class).hasMessageContaining("create the account yourself");
    }

    @Test
    void userInstallIsALaunchAgentInTheGuiDomain() throws Exception {
        runner.answer("id -u", 0, "501\n");
        control.perform(Operation.INSTALL, ServiceScope.USER, InstallOptions.defaults());

        assertThat(LaunchdPlistTest.parse(Files.readString(host.file(AGENT)))).doesNotContainKey("UserName");
        assertThat(host.file("/Users/alice/Library/Logs/steep-repl")).isDirectory();
        assertThat(runner.changes()).containsExactly("launchctl enable gui/501/io.steep.repl");
    }

    @Test
    void startBootstrapsWhenNotLoadedAndKickstartsWhenLoaded() {
        control.perform(Operation.INSTALL, ServiceScope.SYSTEM, InstallOptions.defaults());
        RecordingRunner r = new RecordingRunner().answer("launchctl print", 113, "Could not find service");
        ServiceControl c = new ServiceControl(ScratchHosts.macos(root, r));
        c.perform(Operation.START, ServiceScope.SYSTEM, InstallOptions.defaults());
        c.perform(Operation.RESTART, ServiceScope.SYSTEM, InstallOptions.defaults());
        c.perform(Operation.STOP, ServiceScope.SYSTEM, InstallOptions.defaults());
        r.answer("launchctl print", 0, "state = running\npid = 1\n");
        c.perform(Operation.START, ServiceScope.SYSTEM, InstallOptions.defaults());
        c.perform(Operation.RESTART, ServiceScope.SYSTEM, InstallOptions.defaults());
        c.perform(Operation.STOP, ServiceScope.SYSTEM, InstallOptions.defaults());

        assertThat(r.changes()).containsExactly(
                "launchctl bootstrap system /Library/LaunchDaemons/io.steep.repl.plist",
                "launchctl bootstrap system /Library/LaunchDaemons/io.steep.repl.plist",
                "launchctl kickstart system/io.steep.repl",
                "launchctl kickstart -k system/io.steep.repl",
                "launchctl bootout system/io.steep.repl");
    }

    @Test
    void uninstallBootsOutAndRemovesThePlistEvenWhenNotLoaded() {
        control.perform(Operation.INSTALL, ServiceScope.SYSTEM, InstallOptions.defaults());
        RecordingRunner r = new RecordingRunner().answer("launchctl bootout", 3, "Boot-out failed: 3: No such process");

        ServiceControl.Outcome out = new ServiceControl(ScratchHosts.macos(root, r))
                .perform(Operation.UNINSTALL, ServiceScope.SYSTEM, InstallOptions.defaults());

        assertThat(host.file(LaunchdServiceManager.SYSTEM_PLIST)).doesNotExist();
        assertThat(out.log()).contains("ignored: `launchctl bootout system/io.steep.repl` failed (exit 3)");
    }

    @Test
    void errorPaths() throws Exception {
        runner.answer("id -u", 0, "501\n");
        assertThatThrownBy(() -> control.perform(Operation.INSTALL, ServiceScope.SYSTEM, InstallOptions.defaults()))
                .hasMessage("installing the system service needs root: run with sudo, or use --user for a per-user service");
        assertThatThrownBy(() -> control.perform(Operation.STOP, ServiceScope.USER, InstallOptions.defaults()))
                .hasMessage("steep-repl is not installed as a service; run `steep-repl install --user` first");
        assertThatThrownBy(() -> control.perform(Operation.INSTALL, ServiceScope.USER,
                new InstallOptions(Optional.empty(), Optional.of("/Applications/gone.app/Contents/MacOS/steep-repl"))))
                .hasMessage("launcher not found at /Applications/gone.app/Contents/MacOS/steep-repl; reinstall or pass --launcher PATH");
        control.perform(Operation.INSTALL, ServiceScope.USER, InstallOptions.defaults());
        assertThatThrownBy(() -> control.perform(Operation.INSTALL, ServiceScope.USER, InstallOptions.defaults()))
                .hasMessageContaining("already installed (" + AGENT + ")");
    }

    @Test
    void statusParsesLaunchctlPrint() {
        assertThat(control.status(true).installed()).isFalse();
        control.perform(Operation.INSTALL, ServiceScope.SYSTEM, InstallOptions.defaults());
        long pid = ProcessHandle.current().pid();
        runner.answer("launchctl print", 0, """
                system/io.steep.repl = {
                	active count = 1
                	path = /Library/LaunchDaemons/io.steep.repl.plist
                	state = running
                	program = /Applications/steep-repl.app/Contents/MacOS/steep-repl
                	pid = %d
                	last exit code = (never exited)
                }
                """.formatted(pid));
        ServiceStatus s = control.status(false);
        assertThat(s.state()).isEqualTo(ServiceStatus.State.ACTIVE);
        assertThat(s.mainPid()).isEqualTo(pid);
        assertThat(s.since()).isNotNull();

        runner.answer("launchctl print", 0, "\tstate = not running\n\tlast exit code = 1\n");
        assertThat(control.status(false).state()).isEqualTo(ServiceStatus.State.FAILED);
        runner.answer("launchctl print", 113, "Could not find service");
        assertThat(control.status(false).state()).isEqualTo(ServiceStatus.State.INACTIVE);
    }
}
