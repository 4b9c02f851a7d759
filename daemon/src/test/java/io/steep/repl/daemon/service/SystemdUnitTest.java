package io.steep.repl.daemon.service;

import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

class SystemdUnitTest {

    private static SequencedMap<String, String> noEnv() {
        return new LinkedHashMap<>();
    }

    @Test
    void systemUnitHasEveryDirectiveTheServiceNeeds() {
        String unit = new SystemdUnit(ServiceScope.SYSTEM, "/opt/steep-repl/bin/steep-repl", "/etc/steep/config.yaml", noEnv()).render();

        assertThat(unit.lines().toList()).contains(
                "[Unit]",
                "Wants=network-online.target",
                "After=network-online.target postgresql.service",
                "[Service]",
                "Type=exec",
                "User=steep-repl",
                "Group=steep-repl",
                "ExecStart=/opt/steep-repl/bin/steep-repl run --config /etc/steep/config.yaml",
                "Restart=on-failure",
                "SuccessExitStatus=143",
                "RuntimeDirectory=steep-repl",
                "StateDirectory=steep-repl",
                "NoNewPrivileges=yes",
                "ProtectSystem=strict",
                "ReadWritePaths=-/etc/steep",
                "PrivateTmp=yes",
                "[Install]",
                "WantedBy=multi-user.target");
        assertThat(unit.lines().filter(l -> !l.startsWith("#")).toList()).noneMatch(l -> l.contains("@"));
        assertThat(unit).doesNotContain("Environment=").doesNotContain("MemoryDenyWriteExecute=");
        // the Type choice is explained where an admin reading the unit will see it
        assertThat(unit).contains("# Type=exec rather than notify");
    }

    @Test
    void userUnitRunsAsTheUserWithoutNamespaceSandboxing() {
        String unit = new SystemdUnit(ServiceScope.USER, "/opt/steep-repl/bin/steep-repl", "/home/alice/.config/steep/config.yaml", noEnv()).render();

        assertThat(unit.lines().toList()).contains(
                "Type=exec",
                "ExecStart=/opt/steep-repl/bin/steep-repl run --config /home/alice/.config/steep/config.yaml",
                "Restart=on-failure",
                "RuntimeDirectory=steep-repl",
                "NoNewPrivileges=yes",
                "WantedBy=default.target");
        assertThat(unit.lines().filter(l -> !l.startsWith("#")).toList())
                .noneMatch(l -> l.startsWith("User=") || l.startsWith("ProtectSystem=") || l.startsWith("PrivateTmp=")
                        || l.contains("multi-user.target") || l.contains("postgresql.service"));
    }

    @Test
    void pathsWithSpacesPercentAndDollarAreQuotedForSystemd() {
        SequencedMap<String, String> env = noEnv();
        env.put("JAVA_HOME", "/opt/my jdk");
        String unit = new SystemdUnit(ServiceScope.SYSTEM, "/opt/steep repl/bin/steep-repl", "/etc/st%eep/$conf \"x\".yaml", env).render();

        assertThat(unit).contains("ExecStart=\"/opt/steep repl/bin/steep-repl\" run --config \"/etc/st%%eep/$$conf \\\"x\\\".yaml\"");
        assertThat(unit).contains("Environment=\"JAVA_HOME=/opt/my jdk\"");
        assertThat(unit).contains("ReadWritePaths=-/etc/st%%eep");
    }

    @Test
    void relativePathsAreRefused() {
        assertThatThrownBy(() -> new SystemdUnit(ServiceScope.SYSTEM, "bin/steep-repl", "/etc/steep/config.yaml", noEnv()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "systemd-analyze verify exists on Linux only")
    void systemUnitPassesSystemdAnalyzeVerify(@TempDir Path dir) throws Exception {
        Path launcher = launcher(dir.resolve("opt dir/bin"));
        SequencedMap<String, String> env = noEnv();
        env.put("JAVA_HOME", "/usr/lib/jvm/some jdk");
        String unit = new SystemdUnit(ServiceScope.SYSTEM, launcher.toString(), dir.resolve("etc steep/config.yaml").toString(), env).render();
        assertVerifies(dir, unit);
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "systemd-analyze verify exists on Linux only")
    void userUnitPassesSystemdAnalyzeVerify(@TempDir Path dir) throws Exception {
        Path launcher = launcher(dir.resolve("bin"));
        String unit = new SystemdUnit(ServiceScope.USER, launcher.toString(), "/home/alice/.config/steep/config.yaml", noEnv()).render();
        assertVerifies(dir, unit);
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "systemd-analyze verify exists on Linux only")
    void verifyWouldCatchABrokenUnit(@TempDir Path dir) throws Exception {
        // guards the verify assertion itself: a unit naming a launcher that does not exist must not pass
        String unit = new SystemdUnit(ServiceScope.SYSTEM, dir.resolve("missing").toString(), "/etc/steep/config.yaml", noEnv()).render();
        assertThat(verify(dir, unit)).satisfiesAnyOf(
                r -> assertThat(r.exitCode()).isNotZero(),
                r -> assertThat(r.output()).isNotBlank());
    }

    private static Path launcher(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path launcher = dir.resolve("steep-repl");
        Files.writeString(launcher, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        return launcher;
    }

    private static void assertVerifies(Path dir, String unit) throws Exception {
        CommandRunner.Result r = verify(dir, unit);
        // verify exits 0 even for unknown keys, which it only prints: any output about the unit is a finding
        assertThat(r.output()).as("systemd-analyze verify output").isBlank();
        assertThat(r.exitCode()).as("systemd-analyze verify exit code, output: %s", r.output()).isZero();
    }

    private static CommandRunner.Result verify(Path dir, String unit) throws Exception {
        Path analyze = List.of(Path.of("/usr/bin/systemd-analyze"), Path.of("/bin/systemd-analyze")).stream()
                .filter(Files::isExecutable).findFirst()
                .orElseGet(() -> fail("systemd-analyze is not installed: run .ci/install-test-deps.sh"
                        + " (Debian/Ubuntu package `systemd`)"));
        Path unitDir = Files.createDirectories(dir.resolve("units"));
        Path file = unitDir.resolve(SystemdUnit.UNIT_NAME);
        Files.writeString(file, unit);
        Process p = new ProcessBuilder(analyze.toString(), "verify", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new CommandRunner.Result(p.exitValue(), out);
    }
}
