package io.steep.repl.daemon.certs;

import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.config.PlatformPaths;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where certificates live when no directory is given: {@code <config dir>/certs}, the service one
 * ({@code /etc/steep/certs} on Linux) for root / SYSTEM, the user's one otherwise, so an admin running
 * {@code sudo steep-repl tls init-ca} and the system daemon agree on the place.
 */
public final class CertsDirectory {

    private CertsDirectory() {
    }

    public static Path current() {
        PlatformPaths paths = PlatformPaths.current();
        return defaultFor(paths, privileged(paths.os(), System.getProperty("user.name", "")));
    }

    /**
     * Where a node's certificates are: the directory of its configured node certificate ({@code grpc.tls.cert_file}),
     * else of its configured CA file, else {@code certs/} next to the config file, else {@link #current()}. Not
     * {@code current()} first: the system service runs as its own account, whose per-user directory is not where an
     * admin put {@code /etc/steep/certs}, and a development config keeps its certificates beside itself.
     */
    public static Path forConfig(DaemonConfig config) {
        DaemonConfig.Tls tls = config.grpc().tls();
        return tls.certFile().or(tls::caFile)
                .map(f -> f.toAbsolutePath().getParent())
                .or(() -> Optional.ofNullable(config.source()).map(s -> s.toAbsolutePath().getParent().resolve("certs")))
                .orElseGet(CertsDirectory::current);
    }

    public static Path defaultFor(PlatformPaths paths, boolean privileged) {
        return paths.certsDir(privileged);
    }

    /** True for the accounts that run the system service: root on Unix, SYSTEM or a machine account on Windows. */
    public static boolean privileged(PlatformPaths.Os os, String userName) {
        return switch (os) {
            case LINUX, MACOS -> "root".equals(userName);
            case WINDOWS -> userName.toUpperCase(Locale.ROOT).equals("SYSTEM") || userName.endsWith("$");
        };
    }
}
