package io.steep.repl.daemon.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where steep-repl keeps its files on each OS (design.md §2.5 and §2.2). Pure functions of the OS name, the
 * environment and the user's home, so the Windows and macOS answers are unit-tested on Linux too.
 *
 * <p>"Service" mode is the system-wide daemon (root / SYSTEM / the steep-repl user); "user" mode is a daemon a
 * user runs for themselves (e.g. the tray's "start the bundled daemon").
 */
public record PlatformPaths(Os os, Map<String, String> env, Path home) {

    public enum Os {
        LINUX, MACOS, WINDOWS;

        public static Os current() {
            String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            if (name.startsWith("windows")) {
                return WINDOWS;
            }
            if (name.startsWith("mac") || name.startsWith("darwin")) {
                return MACOS;
            }
            return LINUX;
        }
    }

    public static PlatformPaths current() {
        return new PlatformPaths(Os.current(), System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** The config directory: holds {@code config.yaml} and {@code certs/}. */
    public Path configDir(boolean service) {
        return switch (os) {
            case LINUX -> service ? Path.of("/etc/steep") : xdg("XDG_CONFIG_HOME", ".config").resolve("steep");
            case MACOS -> service ? Path.of("/Library/Application Support/steep")
                    : home.resolve("Library").resolve("Application Support").resolve("steep");
            case WINDOWS -> service ? Path.of(env.getOrDefault("ProgramData", "C:\\ProgramData"), "steep")
                    : Path.of(env.getOrDefault("APPDATA", home.resolve("AppData").resolve("Roaming").toString()), "steep");
        };
    }

    public Path configFile(boolean service) {
        return configDir(service).resolve("config.yaml");
    }

    /** Default directory of this node's TLS material. */
    public Path certsDir(boolean service) {
        return configDir(service).resolve("certs");
    }

    /** Durable state: the audit spool, the embedded PostgreSQL data of the developer main job. */
    public Path dataDir(boolean service) {
        return switch (os) {
            case LINUX -> service ? Path.of("/var/lib/steep-repl") : xdg("XDG_DATA_HOME", ".local/share").resolve("steep-repl");
            case MACOS -> service ? Path.of("/Library/Application Support/steep/data")
                    : home.resolve("Library").resolve("Application Support").resolve("steep").resolve("data");
            case WINDOWS -> configDir(service).resolve("data");
        };
    }

    /**
     * Default IPC endpoint. Never /tmp: a private runtime directory (systemd's RuntimeDirectory for the service,
     * $XDG_RUNTIME_DIR for a user), or a named pipe on Windows.
     */
    public String ipcEndpoint(boolean service) {
        return switch (os) {
            case LINUX -> service ? "/run/steep-repl/steep-repl.sock"
                    : (env.containsKey("XDG_RUNTIME_DIR") && !env.get("XDG_RUNTIME_DIR").isBlank()
                        ? Path.of(env.get("XDG_RUNTIME_DIR"), "steep-repl", "steep-repl.sock")
                        : configDir(false).resolve("run").resolve("steep-repl.sock")).toString();
            // Not /var/run as design.md first said: macOS empties /var/run at boot and launchd has no
            // RuntimeDirectory, so the unprivileged service account could not recreate the directory.
            case MACOS -> service ? "/Library/Application Support/steep/run/steep-repl.sock"
                    : configDir(false).resolve("run").resolve("steep-repl.sock").toString();
            case WINDOWS -> service ? "\\\\.\\pipe\\steep-repl"
                    : "\\\\.\\pipe\\steep-repl-" + env.getOrDefault("USERNAME", "user");
        };
    }

    private Path xdg(String variable, String fallbackUnderHome) {
        String v = env.get(variable);
        return v != null && !v.isBlank() ? Path.of(v) : home.resolve(fallbackUnderHome);
    }
}
