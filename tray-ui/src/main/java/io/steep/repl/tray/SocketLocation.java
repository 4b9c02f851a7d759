package io.steep.repl.tray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the daemon's IPC socket is: {@code --socket}, else {@code $STEEP_REPL_SOCKET}, else the first that exists
 * of the user daemon's ({@code $XDG_RUNTIME_DIR/steep-repl/steep-repl.sock}) and the system service's
 * ({@code /run/steep-repl/steep-repl.sock}, macOS {@code /var/run/…}); with none there yet, the user one (the tray
 * starts a user daemon when asked).
 */
public final class SocketLocation {

    private SocketLocation() {
    }

    public static Path resolve(String option, String envSocket, String xdgRuntimeDir, String osName) {
        if (option != null && !option.isBlank()) {
            return Path.of(option);
        }
        if (envSocket != null && !envSocket.isBlank()) {
            return Path.of(envSocket);
        }
        List<Path> candidates = new ArrayList<>();
        if (xdgRuntimeDir != null && !xdgRuntimeDir.isBlank()) {
            candidates.add(Path.of(xdgRuntimeDir, "steep-repl", "steep-repl.sock"));
        }
        candidates.add(osName.toLowerCase().contains("mac") ? Path.of("/var/run/steep-repl/steep-repl.sock")
                : Path.of("/run/steep-repl/steep-repl.sock"));
        return candidates.stream().filter(Files::exists).findFirst().orElse(candidates.getFirst());
    }
}
