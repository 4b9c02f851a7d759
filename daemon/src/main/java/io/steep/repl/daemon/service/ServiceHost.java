package io.steep.repl.daemon.service;

import io.steep.repl.daemon.config.PlatformPaths;
import io.steep.repl.daemon.config.PlatformPaths.Os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The machine the service operations act on: its OS, the file-system root every written file is placed under,
 * the user's home and environment, the runner for the service manager's programs, and the facts the launcher
 * lookup needs. {@link #current()} is the real machine; tests build one over a scratch root directory.
 *
 * @param os          the OS this process runs on (not a {@code --platform} preview target)
 * @param root        prefix for every file read or written: {@code null} for the real file system, a scratch
 *                    directory in tests
 * @param home        the user's home directory as the OS sees it (not prefixed by {@code root})
 * @param env         the environment
 * @param runner      runs systemctl / launchctl / prunsrv / sc.exe / id / net
 * @param appHome     {@code steep.repl.home}: the plain distribution's directory, if we run from one
 * @param appLauncher {@code jpackage.app-path}: the app image's launcher, if we run from one
 * @param foreign     true when this is another OS previewed with {@code --dry-run --platform}: nothing on this
 *                    machine says anything about that OS, so nothing is probed or run
 */
public record ServiceHost(Os os, Path root, String home, Map<String, String> env, CommandRunner runner,
                          Optional<String> appHome, Optional<String> appLauncher, boolean foreign) {

    public ServiceHost {
        env = Map.copyOf(env);
    }

    public static ServiceHost current() {
        return new ServiceHost(Os.current(), null,
                System.getProperty("user.home"), System.getenv(), new ProcessCommandRunner(),
                Optional.ofNullable(System.getProperty("steep.repl.home")),
                Optional.ofNullable(System.getProperty("jpackage.app-path")), false);
    }

    /** This host seen as another OS, for {@code --dry-run --platform}: nothing of it is probed or touched. */
    public ServiceHost previewAs(Os target) {
        if (target == os) {
            return this;
        }
        CommandRunner refuse = command -> {
            throw new IllegalStateException("a --platform preview must not run " + command.argv());
        };
        String previewHome = switch (target) {
            case LINUX -> "/home/" + userName();
            case MACOS -> "/Users/" + userName();
            case WINDOWS -> "C:\\Users\\" + userName();
        };
        return new ServiceHost(target, root, previewHome, Map.of(), refuse, Optional.empty(), Optional.empty(), true);
    }

    /** The login name, for messages and previews. */
    public String userName() {
        return env.getOrDefault(os == Os.WINDOWS ? "USERNAME" : "USER", System.getProperty("user.name", "user"));
    }

    public PlatformPaths platformPaths() {
        return new PlatformPaths(os, env, Path.of(home));
    }

    /**
     * Where a path as the OS names it lives under {@link #root}. Windows drive letters become a directory
     * ({@code C:\ProgramData} → {@code <root>/C/ProgramData}) so Windows plans can be applied to a scratch root
     * in tests on any OS.
     */
    public Path file(String osPath) {
        if (root == null) {
            return Path.of(osPath);
        }
        String relative = osPath.replace('\\', '/');
        if (relative.length() >= 2 && relative.charAt(1) == ':') {
            relative = relative.charAt(0) + relative.substring(2);
        }
        while (relative.startsWith("/")) {
            relative = relative.substring(1);
        }
        return relative.isEmpty() ? root : root.resolve(relative);
    }

    public boolean exists(String osPath) {
        return Files.exists(file(osPath));
    }

    public boolean isExecutable(String osPath) {
        Path p = file(osPath);
        return Files.isRegularFile(p) && (os == Os.WINDOWS || Files.isExecutable(p));
    }

    /**
     * Whether the process may change the system-wide service manager: euid 0 on Unix ({@code id -u}), an
     * elevated token on Windows ({@code net session} only succeeds elevated).
     */
    public boolean privileged() {
        if (os == Os.WINDOWS) {
            return runner.run(Command.of("net", "session")).ok();
        }
        return uid() == 0;
    }

    /** The effective uid ({@code id -u}); launchd's per-user domain is {@code gui/<uid>}. */
    public long uid() {
        CommandRunner.Result r = runner.run(Command.of("id", "-u"));
        try {
            if (r.ok()) {
                return Long.parseLong(r.output().strip());
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error below
        }
        throw new ServiceException(ServiceException.Reason.COMMAND_FAILED,
                "could not determine the current user id: `id -u` said: " + r.output().strip());
    }

    String readFile(String osPath) {
        try {
            return Files.readString(file(osPath));
        } catch (IOException e) {
            throw new ServiceException(ServiceException.Reason.IO, "cannot read " + osPath + ": " + e.getMessage(), e);
        }
    }
}
