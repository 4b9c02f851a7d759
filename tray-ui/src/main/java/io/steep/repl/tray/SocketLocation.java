package io.steep.repl.tray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the daemon's IPC endpoint is: {@code --socket}, else {@code $STEEP_REPL_SOCKET}, else the first that exists
 * of the user daemon's and the system service's defaults (the daemon's own, see its PlatformPaths); with none there
 * yet, the user one, since that is the daemon the tray can start. Windows has one pipe name for both.
 */
public final class SocketLocation {

    public static final String WINDOWS_PIPE = "\\\\.\\pipe\\steep-repl";

    private SocketLocation() {
    }

    public static String resolve(String option, String envSocket, String xdgRuntimeDir, String userHome, String osName) {
        if (option != null && !option.isBlank()) {
            return option;
        }
        if (envSocket != null && !envSocket.isBlank()) {
            return envSocket;
        }
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            return WINDOWS_PIPE;
        }
        List<Path> candidates = new ArrayList<>();
        if (os.contains("mac")) {
            candidates.add(Path.of(userHome, "Library", "Application Support", "steep", "run", "steep-repl.sock"));
            candidates.add(Path.of("/var/run/steep-repl/steep-repl.sock"));
        } else {
            candidates.add(xdgRuntimeDir != null && !xdgRuntimeDir.isBlank()
                    ? Path.of(xdgRuntimeDir, "steep-repl", "steep-repl.sock")
                    : Path.of(userHome, ".config", "steep", "run", "steep-repl.sock"));
            candidates.add(Path.of("/run/steep-repl/steep-repl.sock"));
        }
        return candidates.stream().filter(Files::exists).findFirst().orElse(candidates.getFirst()).toString();
    }
}
