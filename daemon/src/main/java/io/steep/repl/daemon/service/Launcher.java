package io.steep.repl.daemon.service;

import io.steep.repl.daemon.config.PlatformPaths.Os;

import java.util.Optional;

/**
 * The installed steep-repl launcher the service manager will start, and how it was found.
 *
 * @param path    absolute path as the OS names it
 * @param origin  how it was found
 */
public record Launcher(String path, Origin origin) {

    public enum Origin {
        /** {@code --launcher PATH} */
        EXPLICIT,
        /** the jpackage app image this process runs from ({@code jpackage.app-path}): bundles its runtime */
        APP_IMAGE,
        /** the plain distribution this process runs from ({@code steep.repl.home}): uses JAVA_HOME or PATH java */
        DISTRIBUTION,
        /** where the OS package puts it */
        PACKAGE_DEFAULT
    }

    /** Where the DEB / MSI / DMG install the launcher. */
    public static String packageDefault(Os os) {
        return switch (os) {
            case LINUX -> "/opt/steep-repl/bin/steep-repl";
            case MACOS -> "/Applications/steep-repl.app/Contents/MacOS/steep-repl";
            case WINDOWS -> "C:\\Program Files\\steep-repl\\steep-repl.exe";
        };
    }

    /**
     * The launcher to install, in this order: {@code --launcher}, the app image we run from, the plain distribution
     * we run from, the package default. Existence is checked by the caller (a preview may name a path that does
     * not exist here).
     */
    public static Launcher locate(ServiceHost host, Optional<String> explicit) {
        if (explicit.isPresent()) {
            return new Launcher(explicit.get(), Origin.EXPLICIT);
        }
        if (host.appLauncher().isPresent()) {
            return new Launcher(host.appLauncher().get(), Origin.APP_IMAGE);
        }
        if (host.appHome().isPresent()) {
            String home = host.appHome().get();
            return new Launcher(host.os() == Os.WINDOWS ? home + "\\bin\\steep-repl.bat" : home + "/bin/steep-repl",
                    Origin.DISTRIBUTION);
        }
        return new Launcher(packageDefault(host.os()), Origin.PACKAGE_DEFAULT);
    }

    public ServiceException notFound() {
        return new ServiceException(ServiceException.Reason.LAUNCHER_NOT_FOUND,
                "launcher not found at " + path + "; reinstall or pass --launcher PATH");
    }
}
