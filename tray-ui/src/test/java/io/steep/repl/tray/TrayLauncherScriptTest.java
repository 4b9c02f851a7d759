package io.steep.repl.tray;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plain distribution's sh launcher with stand-in JDKs (a {@code release} file and a {@code bin/java} that
 * echoes its arguments): which Java it refuses, with what advice, and what it starts.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "tests the POSIX sh launcher, which Windows does not use: it starts"
        + " steep-repl-tray.bat (plain distribution) or the MSI's steep-repl-tray.exe with its bundled Java 25; the"
        + " stand-in JDKs here need sh and POSIX file modes")
class TrayLauncherScriptTest {

    @TempDir
    Path tmp;

    @Test
    void anOlderJavaIsRefusedWithWhatToDoInsteadOfAClassVersionError() throws Exception {
        Result r = launch(standInJdk("17.0.12"));

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.output).contains("needs Java 25 or newer", "is Java 17", "set JAVA_HOME").doesNotContain("ran ");
    }

    @Test
    void aMissingJavaIsNamed() throws Exception {
        Result r = launch(tmp.resolve("no-jdk-here"));

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.output).contains("no Java found", "JDK 25");
    }

    @Test
    void java25StartsTheTrayWithTheLaunchersOptions() throws Exception {
        Result r = launch(standInJdk("25.0.3"));

        assertThat(r.exit).isZero();
        assertThat(r.output).startsWith("ran " + String.join(" ", RealDisplayTrayTest.launcherOptions()))
                .contains("io.steep.repl.tray.TrayApp --socket /tmp/x.sock");
    }

    private Path standInJdk(String version) throws IOException {
        Path home = Files.createDirectories(tmp.resolve("jdk-" + version + "/bin")).getParent();
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\necho ran \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    private record Result(int exit, String output) {
    }

    private Result launch(Path javaHome) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", Path.of("src/main/dist/bin/steep-repl-tray").toAbsolutePath().toString(),
                "--socket", "/tmp/x.sock").redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().remove("STEEP_REPL_TRAY_JAVA_OPTS");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }
}
