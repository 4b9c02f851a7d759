package io.steep.repl.daemon.certs;

import io.steep.repl.daemon.config.PlatformPaths;
import java.nio.file.Path;
import java.util.Locale;

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
