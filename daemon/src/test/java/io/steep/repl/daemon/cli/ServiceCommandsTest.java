package io.steep.repl.daemon.cli;

import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.condition.DisabledOnOs;
import io.steep.repl.daemon.config.PlatformPaths.Os;
import io.steep.repl.daemon.service.RecordingRunner;
import io.steep.repl.daemon.service.ServiceControl;
import io.steep.repl.daemon.service.ServiceHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

@DisabledOnOs(value = OS.WINDOWS, disabledReason = "simulates a Linux/macOS host under a scratch root: its default paths are java.nio Paths of the running OS, which print /etc/steep with backslashes on Windows")
class ServiceCommandsTest {

    @TempDir
    Path root;
    final RecordingRunner runner = new RecordingRunner();
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    private ServiceControl control() {
        return new ServiceControl(new ServiceHost(Os.LINUX, root, "/home/alice", Map.of("USER", "alice"), runner,
                Optional.empty(), Optional.empty(), false));
    }

    /** Runs the command as a subcommand of a root that has the global, inherited --config, like the real CLI. */
    private int run(Object command, String... args) {
        CommandLine cl = new CommandLine(new TestRoot());
        cl.addSubcommand(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String name = cl.getSubcommands().keySet().iterator().next();
        String[] all = new String[args.length + 1];
        all[0] = name;
        System.arraycopy(args, 0, all, 1, args.length);
        return cl.execute(all);
    }

    @CommandLine.Command(name = "steep-repl")
    static final class TestRoot {
        @CommandLine.Option(names = "--config", scope = CommandLine.ScopeType.INHERIT)
        Path config;
    }

    private boolean rootIsEmpty() throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.findAny().isEmpty();
        }
    }

    @Test
    void dryRunPrintsTheUnitAndCommandsAndWritesNothing() throws Exception {
        int code = run(new ServiceCommands.Install(control()), "--dry-run", "--config", "/srv/steep/config.yaml",
                "--launcher", "/opt/steep-repl/bin/steep-repl");

        assertThat(code).isZero();
        assertThat(rootIsEmpty()).isTrue();
        assertThat(runner.changes()).isEmpty();
        assertThat(out.toString())
                .contains("dry run: nothing is written or run")
                .contains("write /etc/systemd/system/steep-repl.service (mode 0644):")
                .contains("ExecStart=/opt/steep-repl/bin/steep-repl run --config /srv/steep/config.yaml")
                .contains("User=steep-repl")
                .contains("run: systemctl enable steep-repl.service")
                // what a real run would hit on this scratch machine is shown, not hidden
                .contains("on this machine this would fail now: systemd is not running")
                .contains("on this machine this would fail now: launcher not found at /opt/steep-repl/bin/steep-repl");
    }

    @Test
    void dryRunPreviewsOtherPlatformsWithoutProbing() throws Exception {
        assertThat(run(new ServiceCommands.Install(control()), "--dry-run", "--platform", "windows")).isZero();
        assertThat(out.toString())
                .contains("install steep-repl (Windows service)")
                .contains("run: \"C:\\Program Files\\steep-repl\\prunsrv.exe\" //IS//steep-repl")
                .contains("--StartParams=run;--config;C:\\ProgramData\\steep\\config.yaml")
                .contains("run: sc.exe failure steep-repl reset= 86400 actions= restart/5000/restart/5000/restart/30000");

        assertThat(run(new ServiceCommands.Install(control()), "--dry-run", "--platform", "macos", "--user")).isZero();
        assertThat(out.toString())
                .contains("write /Users/alice/Library/LaunchAgents/io.steep.repl.plist (mode 0644):")
                .contains("<key>RunAtLoad</key>")
                .contains("run: launchctl enable 'gui/<uid>/io.steep.repl'");

        assertThat(run(new ServiceCommands.Uninstall(control()), "--dry-run", "--platform", "macos")).isZero();
        assertThat(out.toString()).contains("run: launchctl bootout system/io.steep.repl");

        assertThat(runner.lines()).isEmpty();
        assertThat(rootIsEmpty()).isTrue();
    }

    @Test
    void platformWithoutDryRunIsAUsageError() throws Exception {
        int code = run(new ServiceCommands.Install(control()), "--platform", "windows");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--platform only previews another OS: use it with --dry-run");
        assertThat(rootIsEmpty()).isTrue();
        assertThat(runner.lines()).isEmpty();
    }

    @Test
    void unknownPlatformIsAUsageError() {
        assertThat(run(new ServiceCommands.Start(control()), "--dry-run", "--platform", "solaris")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown platform 'solaris': use linux, macos or windows");
    }

    @Test
    void errorsAreOneClearLineWithAnLsbExitCode() throws Exception {
        runner.answer("id -u", 0, "1000\n");
        assertThat(run(new ServiceCommands.Install(control()))).isEqualTo(4);
        assertThat(err.toString().strip())
                .isEqualTo("error: installing the system service needs root: run with sudo, or use --user for a per-user service");

        Files.createDirectories(root.resolve("run/systemd/system"));
        err.getBuffer().setLength(0);
        assertThat(run(new ServiceCommands.Stop(control()), "--user")).isEqualTo(5);
        assertThat(err.toString().strip())
                .isEqualTo("error: steep-repl is not installed as a service; run `steep-repl install --user` first");
    }

    @Test
    void realInstallThenStartThroughTheCommands() throws Exception {
        Files.createDirectories(root.resolve("run/systemd/system"));
        Path launcher = root.resolve("opt/steep-repl/bin/steep-repl");
        Files.createDirectories(launcher.getParent());
        Files.writeString(launcher, "#!/bin/sh\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThat(run(new ServiceCommands.Install(control()), "--user")).isZero();
        assertThat(run(new ServiceCommands.Start(control()), "--user")).isZero();
        assertThat(run(new ServiceCommands.Restart(control()), "--user")).isZero();

        assertThat(root.resolve("home/alice/.config/systemd/user/steep-repl.service")).exists();
        assertThat(out.toString()).contains("install: done").contains("start: done").contains("restart: done");
        assertThat(runner.changes()).containsExactly("systemctl --user daemon-reload", "systemctl --user enable steep-repl.service",
                "systemctl --user start steep-repl.service", "systemctl --user restart steep-repl.service");
    }

    @Test
    void helpListsTheOptions() {
        assertThat(run(new ServiceCommands.Install(control()), "--help")).isZero();
        assertThat(out.toString()).contains("--user", "--dry-run", "--platform", "--config", "--launcher");
    }
}
