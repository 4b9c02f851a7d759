package io.steep.repl.daemon.embedded;

import io.steep.repl.daemon.config.PlatformPaths.Os;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TrayLauncherTest {

    @TempDir
    Path dir;

    private Path executable(Path p) throws Exception {
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n");
        if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) { // Windows: every file is executable
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return p;
    }

    @Test
    void aDisplayIsNeededOnLinuxOnly() {
        assertThat(TrayLauncher.displayAvailable(Os.LINUX, Map.of())).isFalse();
        assertThat(TrayLauncher.displayAvailable(Os.LINUX, Map.of("DISPLAY", ""))).isFalse();
        assertThat(TrayLauncher.displayAvailable(Os.LINUX, Map.of("DISPLAY", ":0"))).isTrue();
        // a Wayland session without XWayland: the tray (AWT, JavaFX's GTK glass) cannot draw
        assertThat(TrayLauncher.displayAvailable(Os.LINUX, Map.of("WAYLAND_DISPLAY", "wayland-0"))).isFalse();
        assertThat(TrayLauncher.displayAvailable(Os.LINUX, Map.of("WAYLAND_DISPLAY", "wayland-0", "DISPLAY", ":1"))).isTrue();
        assertThat(TrayLauncher.displayAvailable(Os.MACOS, Map.of())).isTrue();
        assertThat(TrayLauncher.displayAvailable(Os.WINDOWS, Map.of())).isTrue();
    }

    @Test
    void findsTheTrayBesideAPackageOrInTheSourceTree() throws Exception {
        Path pkg = dir.resolve("opt/steep-repl");
        assertThat(TrayLauncher.find(pkg, Os.LINUX)).isEmpty();
        Path sibling = executable(pkg.resolve("bin/steep-repl-tray"));
        assertThat(TrayLauncher.find(pkg, Os.LINUX)).contains(sibling);

        Path home = dir.resolve("src/daemon/target/steep-repl");
        Files.createDirectories(home.resolve("bin"));
        Path built = executable(dir.resolve("src/tray-ui/target/steep-repl-tray/bin/steep-repl-tray"));
        assertThat(TrayLauncher.find(home, Os.LINUX)).contains(built);
    }
}
