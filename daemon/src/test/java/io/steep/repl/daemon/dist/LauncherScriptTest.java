package io.steep.repl.daemon.dist;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plain distribution's launcher ({@code src/main/dist/bin/steep-repl}) in an app layout of its own, with a
 * stand-in {@code java} that prints the command line it was given: where it finds itself, which options it passes,
 * and what it refuses.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "tests the POSIX sh launcher, which Windows does not use "
        + "(it runs bin/steep-repl.bat or the procrun service); the script needs sh, readlink and symlinks")
class LauncherScriptTest {

    @TempDir
    Path tmp;
    Path app;
    Path javaHome;

    @BeforeEach
    void layout() throws IOException {
        app = Files.createDirectories(tmp.resolve("real/steep-repl"));
        Files.createDirectories(app.resolve("lib"));
        Path bin = Files.createDirectories(app.resolve("bin"));
        Files.copy(Path.of("src/main/dist/bin/steep-repl"), bin.resolve("steep-repl"));
        executable(bin.resolve("steep-repl"));
        javaHome = jdk("jdk-25", "25.0.3");
    }

    private Path jdk(String name, String version) throws IOException {
        Path home = Files.createDirectories(tmp.resolve(name));
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        executable(java);
        return home;
    }

    private static void executable(Path p) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Run(int exit, String out) { }

    private Run run(Path dir, Path javaHome, String... command) throws Exception {
        return runWithPath(dir, javaHome, "/usr/bin:/bin", command);
    }

    /** Without {@code javaHome}, the launcher looks for java on {@code path}. */
    private Run runWithPath(Path dir, Path javaHome, String path, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().remove("STEEP_REPL_JAVA_OPTS");
        if (javaHome == null) {
            pb.environment().remove("JAVA_HOME");
            pb.environment().put("PATH", path);
        } else {
            pb.environment().put("JAVA_HOME", javaHome.toString());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    @Test
    void findsItsInstallationThroughASymlinkAndPassesTheDaemonsOptions() throws Exception {
        Path link = Files.createDirectories(tmp.resolve("usr/bin")).resolve("steep-repl");
        Files.createSymbolicLink(link, app.resolve("bin/steep-repl"));
        Path home = app.toRealPath();

        Run r = run(tmp, javaHome, link.toString(), "status", "--config", "/etc/x.yaml");

        assertThat(r.exit()).isZero();
        List<String> args = r.out().lines().toList();
        assertThat(args).contains("-Dsteep.repl.home=" + home, home + "/lib/*", "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");
        assertThat(args).endsWith("io.steep.repl.daemon.Main", "status", "--config", "/etc/x.yaml");
        assertThat(args).noneMatch(a -> a.startsWith("-XX:AOTCache") || a.contains("AOTReplayTraining")); // no cache here
    }

    @Test
    void usesTheAotCacheBesideItAndWorksWhenRunByNameFromItsDirectory() throws Exception {
        Files.writeString(app.resolve("lib/steep-repl.aot"), "x");
        Path home = app.toRealPath();

        Run r = run(app.resolve("bin"), javaHome, "sh", "steep-repl", "--version");

        assertThat(r.exit()).isZero();
        assertThat(r.out().lines()).contains("-XX:AOTCache=" + home + "/lib/steep-repl.aot", "-Dsteep.repl.home=" + home);
        // the cache has no method profiles: no replay thread woken at every class initialisation (unlock first)
        assertThat(r.out().lines()).containsSubsequence("-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTReplayTraining");
    }

    @Test
    void refusesAJavaOlderThan25WithTheFix() throws Exception {
        Run r = run(tmp, jdk("jdk-17", "17.0.12"), app.resolve("bin/steep-repl").toString(), "--version");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("needs Java 25 or newer").contains("is Java 17").contains("set JAVA_HOME");
    }

    @Test
    void readsTheVersionOfTheJdkAJavaOnThePathLinksTo() throws Exception {
        // like /usr/bin/java -> /etc/alternatives/java -> /usr/lib/jvm/.../bin/java: the release file is the target's
        Path onPath = Files.createDirectories(tmp.resolve("path-bin"));
        Files.createSymbolicLink(onPath.resolve("java"), jdk("jdk-17", "17.0.12").resolve("bin/java"));

        Run r = runWithPath(tmp, null, onPath + ":/usr/bin:/bin", app.resolve("bin/steep-repl").toString(), "--version");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("is Java 17");
    }

    @Test
    void saysSoWhenThereIsNoJava() throws Exception {
        Run r = run(tmp, tmp.resolve("nowhere"), app.resolve("bin/steep-repl").toString(), "--version");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("no Java found");
    }
}
