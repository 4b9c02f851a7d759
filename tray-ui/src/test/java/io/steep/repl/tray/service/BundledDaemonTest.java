package io.steep.repl.tray.service;

import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.condition.DisabledOnOs;
import io.steep.repl.tray.SocketLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class BundledDaemonTest {

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "expects Linux/macOS paths and a colon-separated PATH, built with the running OS's java.nio Path")
    void looksAtTheSettingThenNextToTheTrayThenPath() {
        assertThat(BundledDaemon.candidates("/opt/x/steep-repl", "/env/steep-repl", Path.of("/opt/steep/steep-repl-tray"), "/usr/bin:/bin"))
                .containsExactly(Path.of("/opt/x/steep-repl"), Path.of("/env/steep-repl"),
                        Path.of("/opt/steep/steep-repl-tray/bin/steep-repl"), Path.of("/opt/steep/steep-repl/bin/steep-repl"),
                        Path.of("/usr/bin/steep-repl"), Path.of("/bin/steep-repl"));
        assertThat(BundledDaemon.candidates(null, "", null, null)).isEmpty();
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "expects Linux/macOS paths and a colon-separated PATH, built with the running OS's java.nio Path")
    void socketLocationPrefersTheOptionThenTheEnvironmentThenWhatExists(@TempDir Path xdg) throws Exception {
        assertThat(SocketLocation.resolve("/x.sock", "/y.sock", null, "/home/u", "Linux")).isEqualTo("/x.sock");
        assertThat(SocketLocation.resolve(null, "/y.sock", null, "/home/u", "Linux")).isEqualTo("/y.sock");
        assertThat(SocketLocation.resolve(null, null, null, "/home/u", "Windows 11")).isEqualTo(SocketLocation.WINDOWS_PIPE);
        // nothing exists: the user daemon's default, which is the one the tray can start
        assertThat(SocketLocation.resolve(null, null, xdg.toString(), "/home/u", "Linux")).isEqualTo(xdg.resolve("steep-repl/steep-repl.sock").toString());
        assertThat(SocketLocation.resolve(null, null, null, "/home/u", "Linux")).isEqualTo("/home/u/.config/steep/run/steep-repl.sock");
        assertThat(SocketLocation.resolve(null, null, null, "/Users/u", "Mac OS X")).isEqualTo("/Users/u/Library/Application Support/steep/run/steep-repl.sock");
        Files.createDirectories(xdg.resolve("steep-repl"));
        Files.createFile(xdg.resolve("steep-repl/steep-repl.sock"));
        assertThat(SocketLocation.resolve(null, null, xdg.toString(), "/home/u", "Linux")).isEqualTo(xdg.resolve("steep-repl/steep-repl.sock").toString());
    }
}
