package io.steep.repl.daemon.cli;

import io.steep.repl.daemon.config.PlatformPaths.Os;
import io.steep.repl.daemon.service.InstallOptions;
import io.steep.repl.daemon.service.ServiceControl;
import io.steep.repl.daemon.service.ServiceException;
import io.steep.repl.daemon.service.ServiceManager.Operation;
import io.steep.repl.daemon.service.ServiceScope;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code steep-repl install | uninstall | start | stop | restart}: the daemon as an OS service. Register them on
 * the root command with {@code subcommands = {ServiceCommands.Install.class, ServiceCommands.Uninstall.class,
 * ServiceCommands.Start.class, ServiceCommands.Stop.class, ServiceCommands.Restart.class}}.
 *
 * <p>Exit codes follow the LSB init-script convention: 0 done, 1 failed, 2 bad usage, 3 not possible on this OS,
 * 4 not privileged, 5 not installed (or the launcher is missing).
 */
public final class ServiceCommands {

    private ServiceCommands() {
    }

    /** The options every service command has. */
    public static final class CommonOptions {
        @Option(names = "--user", description = "A per-user service (systemd --user, a LaunchAgent) instead of the system service.")
        boolean user;

        @Option(names = "--dry-run", description = "Print exactly what would be written and run, and change nothing.")
        boolean dryRun;

        @Option(names = "--platform", paramLabel = "linux|macos|windows", converter = PlatformConverter.class,
                description = "With --dry-run: preview another OS.")
        Os platform;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
        boolean help;
    }

    static final class PlatformConverter implements CommandLine.ITypeConverter<Os> {
        @Override
        public Os convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "linux" -> Os.LINUX;
                case "macos", "darwin", "mac" -> Os.MACOS;
                case "windows" -> Os.WINDOWS;
                default -> throw new CommandLine.TypeConversionException(
                        "unknown platform '" + value + "': use linux, macos or windows");
            };
        }
    }

    /** The body shared by the five commands. */
    abstract static sealed class ServiceCommand implements Callable<Integer> permits Install, Uninstall, Start, Stop, Restart {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        private final ServiceControl control;
        private final Operation operation;

        ServiceCommand(ServiceControl control, Operation operation) {
            this.control = control;
            this.operation = operation;
        }

        InstallOptions installOptions() {
            return InstallOptions.defaults();
        }

        @Override
        public Integer call() {
            if (common.platform != null && !common.dryRun) {
                throw new ParameterException(spec.commandLine(), "--platform only previews another OS: use it with"
                        + " --dry-run (it cannot install a service for another OS)");
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ServiceScope scope = ServiceScope.of(common.user);
            try {
                if (common.dryRun) {
                    out.print(control.dryRun(operation, scope, installOptions(), Optional.ofNullable(common.platform)));
                } else {
                    control.perform(operation, scope, installOptions(), out);
                    out.println(operation.name().toLowerCase(Locale.ROOT) + ": done");
                }
                out.flush();
                return 0;
            } catch (ServiceException e) {
                out.flush();
                err.println("error: " + e.getMessage());
                err.flush();
                return switch (e.reason()) {
                    case UNSUPPORTED -> 3;
                    case NOT_PRIVILEGED -> 4;
                    case NOT_INSTALLED, LAUNCHER_NOT_FOUND -> 5;
                    default -> 1;
                };
            }
        }

        /** A path given on the command line, made absolute when it is meant for this machine. */
        String absolute(String path) {
            return common.platform == null ? Path.of(path).toAbsolutePath().normalize().toString() : path;
        }
    }

    @Command(name = "install", description = "Install steep-repl as a service that starts at boot (or login, with --user).")
    public static final class Install extends ServiceCommand {
        @Option(names = "--config", paramLabel = "FILE", description = "The config the service runs with (default: the platform's).")
        String config;

        @Option(names = "--launcher", paramLabel = "PATH", description = "The installed steep-repl launcher (default: found automatically).")
        String launcher;

        public Install() {
            this(ServiceControl.forThisHost());
        }

        public Install(ServiceControl control) {
            super(control, Operation.INSTALL);
        }

        @Override
        InstallOptions installOptions() {
            return new InstallOptions(Optional.ofNullable(config).map(this::absolute),
                    Optional.ofNullable(launcher).map(this::absolute));
        }
    }

    @Command(name = "uninstall", description = "Stop the service and remove it; config, data and logs are kept.")
    public static final class Uninstall extends ServiceCommand {
        public Uninstall() {
            this(ServiceControl.forThisHost());
        }

        public Uninstall(ServiceControl control) {
            super(control, Operation.UNINSTALL);
        }
    }

    @Command(name = "start", description = "Start the installed service.")
    public static final class Start extends ServiceCommand {
        public Start() {
            this(ServiceControl.forThisHost());
        }

        public Start(ServiceControl control) {
            super(control, Operation.START);
        }
    }

    @Command(name = "stop", description = "Stop the service gracefully.")
    public static final class Stop extends ServiceCommand {
        public Stop() {
            this(ServiceControl.forThisHost());
        }

        public Stop(ServiceControl control) {
            super(control, Operation.STOP);
        }
    }

    @Command(name = "restart", description = "Restart the service (starts it if it is stopped).")
    public static final class Restart extends ServiceCommand {
        public Restart() {
            this(ServiceControl.forThisHost());
        }

        public Restart(ServiceControl control) {
            super(control, Operation.RESTART);
        }
    }
}
