package io.steep.repl.daemon.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/** systemd: a unit in /etc/systemd/system (system) or ~/.config/systemd/user (user), driven by systemctl. */
public final class SystemdServiceManager implements ServiceManager {

    public static final String SYSTEM_UNIT = "/etc/systemd/system/" + SystemdUnit.UNIT_NAME;
    public static final String SYSUSERS_FILE = "/etc/sysusers.d/steep-repl.conf";
    /** sd_booted(3): systemd is PID 1 exactly when this directory exists. */
    static final String SYSTEMD_RUNNING_MARKER = "/run/systemd/system";

    private final ServiceHost host;

    SystemdServiceManager(ServiceHost host) {
        this.host = host;
    }

    @Override
    public String name() {
        return "systemd";
    }

    public String unitPath(ServiceScope scope) {
        if (scope.system()) {
            return SYSTEM_UNIT;
        }
        String configHome = host.env().getOrDefault("XDG_CONFIG_HOME", "");
        return (configHome.isBlank() ? host.home() + "/.config" : configHome) + "/systemd/user/" + SystemdUnit.UNIT_NAME;
    }

    private List<String> systemctl(ServiceScope scope, String... args) {
        List<String> argv = new ArrayList<>(List.of("systemctl"));
        if (!scope.system()) {
            argv.add("--user");
        }
        argv.addAll(List.of(args));
        return argv;
    }

    private PlanStep.Run run(ServiceScope scope, String... args) {
        return new PlanStep.Run(Command.of(systemctl(scope, args)));
    }

    @Override
    public ServicePlan plan(Operation operation, ServiceScope scope, InstallOptions options, boolean dryRun) {
        String unit = unitPath(scope);
        String title = operation.name().toLowerCase() + " steep-repl (systemd, " + (scope.system() ? "system" : "user")
                + " service)" + (dryRun ? " -- dry run: nothing is written or run" : "");
        List<ServiceException> problems = new ArrayList<>();
        if (!host.foreign()) {
            if (scope.system() && !host.privileged()) {
                problems.add(ServiceManager.notPrivileged(operation == Operation.INSTALL || operation == Operation.UNINSTALL
                        ? operation.name().toLowerCase() + "ing the system service" : "controlling the system service", false));
            }
            if (!host.exists(SYSTEMD_RUNNING_MARKER)) {
                problems.add(new ServiceException(ServiceException.Reason.MANAGER_NOT_RUNNING,
                        "systemd is not running on this machine (" + SYSTEMD_RUNNING_MARKER + " is missing), so there is"
                                + " no service manager to install into; run the daemon in the foreground with"
                                + " `steep-repl run`, or preview with --dry-run"));
            }
        }
        List<PlanStep> steps = new ArrayList<>();
        switch (operation) {
            case INSTALL -> {
                Launcher launcher = Launcher.locate(host, options.launcher());
                String config = options.configFile().orElse(host.platformPaths().configFile(scope.system()).toString());
                if (!host.foreign()) {
                    if (!host.isExecutable(launcher.path())) {
                        problems.add(launcher.notFound());
                    }
                    if (host.exists(unit)) {
                        problems.add(ServiceManager.alreadyInstalled(unit));
                    }
                }
                SystemdUnit rendered = new SystemdUnit(scope, launcher.path(), config, environment(launcher));
                if (scope.system()) {
                    steps.add(new PlanStep.WriteFile(SYSUSERS_FILE, SystemdUnit.sysusers(), "0644"));
                    steps.add(new PlanStep.Run(Command.of("systemd-sysusers", SYSUSERS_FILE)));
                }
                steps.add(new PlanStep.WriteFile(unit, rendered.render(), "0644"));
                steps.add(run(scope, "daemon-reload"));
                steps.add(run(scope, "enable", SystemdUnit.UNIT_NAME));
                if (!host.foreign() && !host.exists(config)) {
                    steps.add(new PlanStep.Note("config file " + config + " does not exist yet: create it before starting"));
                }
                if (scope.system()) {
                    steps.add(new PlanStep.Note("the service runs as user " + SystemdUnit.SERVICE_USER
                            + ": it must be able to read " + config + " and the certificates it names"));
                } else {
                    steps.add(new PlanStep.Note("a user service starts when you log in; to start it at boot, run"
                            + " `loginctl enable-linger " + host.userName() + "`"));
                }
                steps.add(new PlanStep.Note("enabled for " + (scope.system() ? "boot" : "login") + "; start it now with `steep-repl start"
                        + flag(scope) + "`"));
            }
            case UNINSTALL -> {
                requireInstalled(unit, scope, problems);
                steps.add(run(scope, "disable", "--now", SystemdUnit.UNIT_NAME));
                steps.add(new PlanStep.DeleteFile(unit));
                if (scope.system()) {
                    steps.add(new PlanStep.DeleteFile(SYSUSERS_FILE));
                }
                steps.add(run(scope, "daemon-reload"));
                steps.add(new PlanStep.Note("kept: the config directory " + host.platformPaths().configDir(scope.system())
                        + (scope.system() ? ", the data in /var/lib/steep-repl and the account " + SystemdUnit.SERVICE_USER : "")));
            }
            case START, STOP, RESTART -> {
                requireInstalled(unit, scope, problems);
                steps.add(run(scope, operation.name().toLowerCase(), SystemdUnit.UNIT_NAME));
            }
        }
        return ServiceManager.finish(title, host, problems, steps, dryRun);
    }

    private void requireInstalled(String unit, ServiceScope scope, List<ServiceException> problems) {
        if (!host.foreign() && !host.exists(unit)) {
            problems.add(ServiceManager.notInstalled(flag(scope)));
        }
    }

    private static String flag(ServiceScope scope) {
        return scope.system() ? "" : " --user";
    }

    /**
     * The plain distribution's launcher runs {@code $JAVA_HOME/bin/java} or {@code java} from PATH; systemd gives
     * services neither the admin's JAVA_HOME nor their PATH, so the JDK found at install time is written into the
     * unit. The app image bundles its runtime and needs nothing.
     */
    private SequencedMap<String, String> environment(Launcher launcher) {
        SequencedMap<String, String> env = new LinkedHashMap<>();
        String javaHome = host.env().get("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()
                && (launcher.origin() == Launcher.Origin.DISTRIBUTION || launcher.origin() == Launcher.Origin.EXPLICIT)) {
            env.put("JAVA_HOME", javaHome);
        }
        return env;
    }

    @Override
    public ServiceStatus status(ServiceScope scope) {
        String unit = unitPath(scope);
        if (!host.exists(unit)) {
            return ServiceStatus.notInstalled(name(), scope, "no unit file at " + unit);
        }
        if (!host.exists(SYSTEMD_RUNNING_MARKER)) {
            return new ServiceStatus(name(), scope, true, false, ServiceStatus.State.UNKNOWN, null, null,
                    "systemd is not running on this machine");
        }
        // LC_ALL=C: property values are not translated, but keep any message systemctl adds parsable too.
        CommandRunner.Result r = host.runner().run(new Command(systemctl(scope, "show", SystemdUnit.UNIT_NAME,
                "--property=LoadState,UnitFileState,ActiveState,SubState,MainPID"), Map.of("LC_ALL", "C")));
        if (!r.ok()) {
            return new ServiceStatus(name(), scope, true, false, ServiceStatus.State.UNKNOWN, null, null,
                    "systemctl show failed: " + r.output().strip());
        }
        Map<String, String> p = properties(r.output());
        ServiceStatus.State state = switch (p.getOrDefault("ActiveState", "")) {
            case "active", "reloading", "refreshing" -> ServiceStatus.State.ACTIVE;
            case "activating" -> ServiceStatus.State.STARTING;
            case "deactivating" -> ServiceStatus.State.STOPPING;
            case "inactive" -> ServiceStatus.State.INACTIVE;
            case "failed" -> ServiceStatus.State.FAILED;
            default -> ServiceStatus.State.UNKNOWN;
        };
        Long pid = null;
        try {
            long parsed = Long.parseLong(p.getOrDefault("MainPID", "0"));
            pid = parsed > 0 ? parsed : null;
        } catch (NumberFormatException ignored) {
            // no pid
        }
        boolean enabled = p.getOrDefault("UnitFileState", "").startsWith("enabled");
        return new ServiceStatus(name(), scope, true, enabled, state, pid,
                pid == null ? null : ServiceStatus.processStart(pid), p.getOrDefault("SubState", ""));
    }

    static Map<String, String> properties(String output) {
        Map<String, String> p = new HashMap<>();
        for (String line : output.split("\\R")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                p.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return p;
    }
}
