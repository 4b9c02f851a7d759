package io.steep.repl.daemon.service;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * launchd: a LaunchDaemon in /Library/LaunchDaemons (system, runs as {@value #ACCOUNT}) or a LaunchAgent in
 * ~/Library/LaunchAgents ({@code --user}), driven by launchctl's domain commands.
 *
 * <p>As with systemd, {@code install} only makes the job start at boot / login ({@code launchctl enable}); launchd
 * loads the plists of those directories at boot by itself. {@code start} loads it now ({@code bootstrap}, which
 * starts it through RunAtLoad), {@code stop} unloads it ({@code bootout}: with KeepAlive, killing the process would
 * only make launchd restart it), {@code restart} is {@code kickstart -k}.
 */
public final class LaunchdServiceManager implements ServiceManager {

    public static final String ACCOUNT = "_steep-repl";
    public static final String SYSTEM_PLIST = "/Library/LaunchDaemons/" + LaunchdPlist.FILE_NAME;
    static final String SYSTEM_LOG = "/Library/Logs/steep-repl/steep-repl.log";
    /** Accounts for daemons live below 500 on macOS; start above the range Apple's own accounts use. */
    static final int FIRST_ACCOUNT_ID = 300;
    static final int LAST_ACCOUNT_ID = 499;

    private final ServiceHost host;

    LaunchdServiceManager(ServiceHost host) {
        this.host = host;
    }

    @Override
    public String name() {
        return "launchd";
    }

    public String plistPath(ServiceScope scope) {
        return scope.system() ? SYSTEM_PLIST : host.home() + "/Library/LaunchAgents/" + LaunchdPlist.FILE_NAME;
    }

    String logFile(ServiceScope scope) {
        return scope.system() ? SYSTEM_LOG : host.home() + "/Library/Logs/steep-repl/steep-repl.log";
    }

    /** {@code system} or {@code gui/<uid>} (the logged-in user's GUI session, where LaunchAgents live). */
    String domain(ServiceScope scope) {
        if (scope.system()) {
            return "system";
        }
        return "gui/" + (host.foreign() ? "<uid>" : String.valueOf(host.uid()));
    }

    String target(ServiceScope scope) {
        return domain(scope) + "/" + LaunchdPlist.LABEL;
    }

    private static PlanStep.Run launchctl(String... args) {
        List<String> argv = new ArrayList<>(List.of("launchctl"));
        argv.addAll(List.of(args));
        return new PlanStep.Run(Command.of(argv));
    }

    @Override
    public ServicePlan plan(Operation operation, ServiceScope scope, InstallOptions options, boolean dryRun) {
        String plist = plistPath(scope);
        String title = operation.name().toLowerCase() + " steep-repl (launchd, "
                + (scope.system() ? "LaunchDaemon" : "LaunchAgent") + ")" + (dryRun ? " -- dry run: nothing is written or run" : "");
        List<ServiceException> problems = new ArrayList<>();
        if (!host.foreign() && scope.system() && !host.privileged()) {
            problems.add(ServiceManager.notPrivileged(switch (operation) {
                case INSTALL -> "installing the system service";
                case UNINSTALL -> "uninstalling the system service";
                default -> "controlling the system service";
            }, false));
        }
        List<PlanStep> steps = new ArrayList<>();
        String dataDir = host.platformPaths().dataDir(scope.system()).toString();
        switch (operation) {
            case INSTALL -> {
                Launcher launcher = Launcher.locate(host, options.launcher());
                String config = options.configFile().orElse(host.platformPaths().configFile(scope.system()).toString());
                if (!host.foreign()) {
                    if (!host.isExecutable(launcher.path())) {
                        problems.add(launcher.notFound());
                    }
                    if (host.exists(plist)) {
                        problems.add(ServiceManager.alreadyInstalled(plist));
                    }
                }
                String log = logFile(scope);
                String logDir = log.substring(0, log.lastIndexOf('/'));
                if (scope.system()) {
                    steps.addAll(accountSteps(problems.isEmpty() || dryRun));
                }
                steps.add(new PlanStep.MakeDirectory(logDir));
                steps.add(new PlanStep.MakeDirectory(dataDir));
                if (scope.system()) {
                    steps.add(new PlanStep.Run(Command.of("chown", ACCOUNT + ":" + ACCOUNT, logDir, dataDir)));
                }
                LaunchdPlist rendered = new LaunchdPlist(launcher.path(), config, log,
                        scope.system() ? Optional.of(ACCOUNT) : Optional.empty(), dataDir);
                steps.add(new PlanStep.WriteFile(plist, rendered.render(), "0644"));
                steps.add(launchctl("enable", target(scope)));
                if (!host.foreign() && !host.exists(config)) {
                    steps.add(new PlanStep.Note("config file " + config + " does not exist yet: create it before starting"));
                }
                if (scope.system()) {
                    steps.add(new PlanStep.Note("the service runs as " + ACCOUNT + ": it must be able to read " + config
                            + " and the certificates it names"));
                }
                steps.add(new PlanStep.Note("enabled for " + (scope.system() ? "boot" : "login") + "; start it now with `steep-repl start"
                        + (scope.system() ? "" : " --user") + "`"));
            }
            case UNINSTALL -> {
                requireInstalled(plist, scope, problems);
                // not loaded (already stopped) is fine here
                steps.add(new PlanStep.Run(Command.of("launchctl", "bootout", target(scope)), true));
                steps.add(new PlanStep.DeleteFile(plist));
                steps.add(new PlanStep.Note("kept: the config directory " + host.platformPaths().configDir(scope.system())
                        + ", the data in " + dataDir + ", the logs in " + logFile(scope)
                        + (scope.system() ? " and the account " + ACCOUNT : "")));
            }
            case START -> {
                requireInstalled(plist, scope, problems);
                steps.add(loaded(scope) ? launchctl("kickstart", target(scope)) : launchctl("bootstrap", domain(scope), plist));
            }
            case STOP -> {
                requireInstalled(plist, scope, problems);
                if (host.foreign() || loaded(scope)) {
                    steps.add(launchctl("bootout", target(scope)));
                } else {
                    steps.add(new PlanStep.Note("steep-repl is not loaded: nothing to stop"));
                }
            }
            case RESTART -> {
                requireInstalled(plist, scope, problems);
                steps.add(loaded(scope) ? launchctl("kickstart", "-k", target(scope)) : launchctl("bootstrap", domain(scope), plist));
            }
        }
        return ServiceManager.finish(title, host, problems, steps, dryRun);
    }

    private void requireInstalled(String plist, ServiceScope scope, List<ServiceException> problems) {
        if (!host.foreign() && !host.exists(plist)) {
            problems.add(ServiceManager.notInstalled(scope.system() ? "" : " --user"));
        }
    }

    /** Whether launchd has the job loaded now; a preview cannot know and assumes not. */
    private boolean loaded(ServiceScope scope) {
        return !host.foreign() && host.runner().run(Command.of("launchctl", "print", target(scope))).ok();
    }

    /**
     * The LaunchDaemon's own account, created with dscl when missing (macOS has no sysusers): a hidden account
     * and group sharing the first id free in both, no shell, no home, no password.
     */
    private List<PlanStep> accountSteps(boolean probe) {
        if (host.foreign()) {
            return List.of(new PlanStep.Note("if the account " + ACCOUNT + " does not exist, install creates it (and its"
                    + " group) with dscl, using the first id from " + FIRST_ACCOUNT_ID + " free for both"));
        }
        if (!probe || host.runner().run(Command.of("id", "-u", ACCOUNT)).ok()) {
            return List.of();
        }
        int id = freeId(ids("/Users", "UniqueID"), ids("/Groups", "PrimaryGroupID"));
        String user = "/Users/" + ACCOUNT;
        String group = "/Groups/" + ACCOUNT;
        List<PlanStep> steps = new ArrayList<>();
        for (List<String> attr : List.of(
                List.of(group, "PrimaryGroupID", String.valueOf(id)),
                List.of(group, "RealName", "steep-repl daemon"),
                List.of(group, "Password", "*"),
                List.of(user, "UniqueID", String.valueOf(id)),
                List.of(user, "PrimaryGroupID", String.valueOf(id)),
                List.of(user, "UserShell", "/usr/bin/false"),
                List.of(user, "NFSHomeDirectory", "/var/empty"),
                List.of(user, "RealName", "steep-repl daemon"),
                List.of(user, "Password", "*"),
                List.of(user, "IsHidden", "1"))) {
            List<String> argv = new ArrayList<>(List.of("dscl", ".", "-create"));
            argv.addAll(attr);
            steps.add(new PlanStep.Run(Command.of(argv)));
        }
        return steps;
    }

    private Set<Integer> ids(String path, String attribute) {
        CommandRunner.Result r = host.runner().run(Command.of("dscl", ".", "-list", path, attribute));
        if (!r.ok()) {
            throw new ServiceException(ServiceException.Reason.COMMAND_FAILED,
                    "could not list " + path + " with dscl: " + r.output().strip());
        }
        Set<Integer> ids = new HashSet<>();
        for (String line : r.output().split("\\R")) {
            String[] words = line.strip().split("\\s+");
            if (words.length >= 2) {
                try {
                    ids.add(Integer.parseInt(words[words.length - 1]));
                } catch (NumberFormatException ignored) {
                    // not an id line
                }
            }
        }
        return ids;
    }

    static int freeId(Set<Integer> userIds, Set<Integer> groupIds) {
        for (int id = FIRST_ACCOUNT_ID; id <= LAST_ACCOUNT_ID; id++) {
            if (!userIds.contains(id) && !groupIds.contains(id)) {
                return id;
            }
        }
        throw new ServiceException(ServiceException.Reason.UNSUPPORTED, "no free account id between "
                + FIRST_ACCOUNT_ID + " and " + LAST_ACCOUNT_ID + " for " + ACCOUNT + "; create the account yourself");
    }

    private static final Pattern STATE = Pattern.compile("^\\s*state = (.+)$", Pattern.MULTILINE);
    private static final Pattern PID = Pattern.compile("^\\s*pid = (\\d+)$", Pattern.MULTILINE);
    private static final Pattern LAST_EXIT = Pattern.compile("^\\s*last exit code = (.+)$", Pattern.MULTILINE);

    @Override
    public ServiceStatus status(ServiceScope scope) {
        String plist = plistPath(scope);
        if (!host.exists(plist)) {
            return ServiceStatus.notInstalled(name(), scope, "no plist at " + plist);
        }
        CommandRunner.Result r = host.runner().run(new Command(List.of("launchctl", "print", target(scope)), Map.of("LC_ALL", "C")));
        if (!r.ok()) {
            // installed but not loaded: stopped (or `launchctl disable`d); it loads again at boot
            return new ServiceStatus(name(), scope, true, true, ServiceStatus.State.INACTIVE, null, null, "not loaded");
        }
        String state = find(STATE, r.output()).orElse("");
        Long pid = find(PID, r.output()).map(Long::parseLong).orElse(null);
        String lastExit = find(LAST_EXIT, r.output()).orElse("");
        ServiceStatus.State s = switch (state) {
            case "running" -> ServiceStatus.State.ACTIVE;
            case "spawn scheduled", "spawning" -> ServiceStatus.State.STARTING;
            case "exiting" -> ServiceStatus.State.STOPPING;
            case "not running", "waiting" -> !lastExit.isEmpty() && !lastExit.equals("0") && !lastExit.startsWith("(never")
                    ? ServiceStatus.State.FAILED : ServiceStatus.State.INACTIVE;
            default -> ServiceStatus.State.UNKNOWN;
        };
        return new ServiceStatus(name(), scope, true, true, s, pid, pid == null ? null : ServiceStatus.processStart(pid),
                state + (lastExit.isEmpty() ? "" : ", last exit code " + lastExit));
    }

    private static Optional<String> find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? Optional.of(m.group(1).strip()) : Optional.empty();
    }
}
