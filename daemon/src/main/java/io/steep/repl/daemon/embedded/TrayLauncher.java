package io.steep.repl.daemon.embedded;

import io.steep.repl.daemon.config.PlatformPaths;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The main job opens the tray app next to the daemon when there is a display: it finds the {@code steep-repl-tray}
 * launcher beside this installation (package layout) or in the source tree's build output (developer layout) and
 * starts it as a separate process pointed at this daemon's IPC endpoint. The daemon never loads JavaFX itself.
 */
public final class TrayLauncher {

    private TrayLauncher() {
    }

    /**
     * True when a graphical session can show the tray: always on macOS/Windows; on Linux when DISPLAY is set (the
     * tray's AWT icon and JavaFX's GTK glass draw through X11 — in a Wayland session through XWayland's DISPLAY).
     */
    public static boolean displayAvailable(PlatformPaths.Os os, Map<String, String> env) {
        if (os != PlatformPaths.Os.LINUX) {
            return true;
        }
        return !env.getOrDefault("DISPLAY", "").isBlank();
    }

    /**
     * The tray launcher for the installation at {@code appHome} (the daemon's {@code steep.repl.home}): a sibling in
     * {@code bin/} when installed from a package, else {@code tray-ui/target/steep-repl-tray/bin/} of the source tree
     * when {@code appHome} is {@code daemon/target/steep-repl}.
     */
    public static Optional<Path> find(Path appHome, PlatformPaths.Os os) {
        String name = os == PlatformPaths.Os.WINDOWS ? "steep-repl-tray.bat" : "steep-repl-tray";
        List<Path> candidates = List.of(
                appHome.resolve("bin").resolve(os == PlatformPaths.Os.WINDOWS ? "steep-repl-tray.exe" : name),
                appHome.resolve("..").resolve("..").resolve("..").resolve("tray-ui").resolve("target")
                        .resolve("steep-repl-tray").resolve("bin").resolve(name));
        return candidates.stream().map(Path::normalize).filter(Files::isExecutable).findFirst();
    }

    /** Starts the tray against {@code ipcPath}; its output goes to {@code log}. */
    public static Process start(Path launcher, String ipcPath, Path log) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        return new ProcessBuilder(launcher.toString(), "--socket", ipcPath)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }
}
