package io.steep.repl.tray.service;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds and starts the daemon that ships next to the tray ({@code steep-repl run --user}) for a user who has no
 * service running. The tray only launches it; it still talks to it over IPC like to any other daemon.
 */
public final class BundledDaemon {

    private BundledDaemon() {
    }

    /**
     * Where the launcher may be, first match wins: {@code -Dsteep.repl.daemon=…}, {@code $STEEP_REPL_DAEMON}, the
     * installed layout next to the tray ({@code ../steep-repl/bin}, {@code ./}), then {@code PATH}.
     */
    public static List<Path> candidates(String property, String env, Path trayHome, String pathVariable) {
        String exe = System.getProperty("os.name", "").startsWith("Windows") ? "steep-repl.bat" : "steep-repl";
        List<Path> out = new ArrayList<>();
        if (property != null && !property.isBlank()) {
            out.add(Path.of(property));
        }
        if (env != null && !env.isBlank()) {
            out.add(Path.of(env));
        }
        if (trayHome != null) {
            out.add(trayHome.resolve("bin").resolve(exe));
            out.add(trayHome.resolveSibling("steep-repl").resolve("bin").resolve(exe));
        }
        if (pathVariable != null) {
            for (String dir : pathVariable.split(File.pathSeparator)) {
                if (!dir.isBlank()) {
                    out.add(Path.of(dir, exe));
                }
            }
        }
        return out;
    }

    public static Optional<Path> find() {
        String home = System.getProperty("steep.repl.tray.home");
        return candidates(System.getProperty("steep.repl.daemon"), System.getenv("STEEP_REPL_DAEMON"),
                home == null ? null : Path.of(home), System.getenv("PATH"))
                .stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }

    /** Starts it detached from the tray's stdio; its output goes to a log file the error message can point at. */
    public static Process start(Path launcher, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        return new ProcessBuilder(launcher.toString(), "run", "--user")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null")))
                .start();
    }
}
