package io.steep.repl.daemon.service;

import io.steep.repl.daemon.aot.LauncherCfg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Windows service control manager, through procrun ({@code prunsrv.exe}, shipped next to the launcher) for
 * registration and {@code net}/{@code sc.exe} for control. Windows services are machine-wide: there is no
 * {@code --user} variant.
 */
public final class WindowsServiceManager implements ServiceManager {

    private final ServiceHost host;

    WindowsServiceManager(ServiceHost host) {
        this.host = host;
    }

    @Override
    public String name() {
        return "Windows SCM";
    }

    /**
     * Where the pieces procrun needs are, relative to the launcher: the MSI's app image
     * ({@code <dir>\steep-repl.exe}, {@code app\}, {@code runtime\}, {@code prunsrv.exe}) or the plain distribution
     * ({@code <dir>\bin\steep-repl.bat}, {@code lib\}, {@code bin\prunsrv.exe}, the JDK in JAVA_HOME).
     */
    record Installation(String appHome, String prunsrv, String jvmDll, String jarDir, String launcherCfg, String aotCache) {

        static Installation of(Launcher launcher, Map<String, String> env) {
            String dir = parent(launcher.path());
            if (launcher.path().toLowerCase().endsWith(".exe")) {
                // jpackage's layout, with the cfg and the cache where AppImage (steep-repl aot-cache) puts them on Windows
                return new Installation(dir, dir + "\\prunsrv.exe", dir + "\\runtime\\bin\\server\\jvm.dll", dir + "\\app",
                        dir + "\\app\\steep-repl.cfg", dir + "\\steep-repl.aot");
            }
            String home = parent(dir);
            String javaHome = env.getOrDefault("JAVA_HOME", "");
            return new Installation(home, dir + "\\prunsrv.exe",
                    javaHome.isBlank() ? "" : win(javaHome) + "\\bin\\server\\jvm.dll", home + "\\lib", null, null);
        }
    }

    static String parent(String windowsPath) {
        String p = windowsPath.endsWith("\\") ? windowsPath.substring(0, windowsPath.length() - 1) : windowsPath;
        int cut = p.lastIndexOf('\\');
        return cut <= 0 ? p : p.substring(0, cut);
    }

    /** Windows paths built by {@link java.nio.file.Path} on another OS mix separators; Windows wants backslashes. */
    static String win(String path) {
        return path.replace('/', '\\');
    }

    String logDir() {
        return win(host.env().getOrDefault("ProgramData", "C:\\ProgramData")) + "\\steep\\logs";
    }

    @Override
    public ServicePlan plan(Operation operation, ServiceScope scope, InstallOptions options, boolean dryRun) {
        if (!scope.system()) {
            throw new ServiceException(ServiceException.Reason.UNSUPPORTED, "Windows services are machine-wide: drop"
                    + " --user and run from an elevated prompt, or run the daemon for yourself with `steep-repl run`");
        }
        String title = operation.name().toLowerCase() + " steep-repl (Windows service)"
                + (dryRun ? " -- dry run: nothing is written or run" : "");
        List<ServiceException> problems = new ArrayList<>();
        if (!host.foreign() && !host.privileged()) {
            problems.add(ServiceManager.notPrivileged(switch (operation) {
                case INSTALL -> "installing the service";
                case UNINSTALL -> "uninstalling the service";
                default -> "controlling the service";
            }, true));
        }
        boolean installed = !host.foreign() && host.runner().run(Command.of("sc.exe", "query", ProcrunCommand.SERVICE_NAME)).ok();
        List<PlanStep> steps = new ArrayList<>();
        switch (operation) {
            case INSTALL -> {
                Launcher launcher = Launcher.locate(host, options.launcher());
                Installation inst = Installation.of(launcher, host.env());
                String config = win(options.configFile().orElse(host.platformPaths().configFile(true).toString()));
                List<String> jars = List.of(inst.jarDir() + "\\*.jar");
                if (!host.foreign()) {
                    if (!host.exists(launcher.path())) {
                        problems.add(launcher.notFound());
                    } else if (!host.exists(inst.prunsrv())) {
                        problems.add(new ServiceException(ServiceException.Reason.LAUNCHER_NOT_FOUND, "prunsrv.exe not found at "
                                + inst.prunsrv() + ": it ships with the steep-repl installer; reinstall, or put the amd64"
                                + " prunsrv.exe of Apache Commons Daemon 1.4.1 there"));
                    } else if (inst.jvmDll().isEmpty() || !host.exists(inst.jvmDll())) {
                        problems.add(new ServiceException(ServiceException.Reason.LAUNCHER_NOT_FOUND, inst.jvmDll().isEmpty()
                                ? "JAVA_HOME is not set: set it to a Java 25 runtime, or install the MSI, which bundles one"
                                : "jvm.dll not found at " + inst.jvmDll() + "; reinstall or set JAVA_HOME to a Java 25 runtime"));
                    } else {
                        jars = jars(inst);
                        if (jars.isEmpty()) {
                            problems.add(new ServiceException(ServiceException.Reason.LAUNCHER_NOT_FOUND,
                                    "no application jars in " + inst.jarDir() + "; reinstall steep-repl"));
                        }
                    }
                    if (installed) {
                        problems.add(ServiceManager.alreadyInstalled("service " + ProcrunCommand.SERVICE_NAME));
                    }
                }
                String aotCache = inst.aotCache() != null && !host.foreign() && host.exists(inst.aotCache()) ? inst.aotCache() : null;
                ProcrunCommand procrun;
                try {
                    procrun = new ProcrunCommand(inst.prunsrv(), inst.jvmDll().isEmpty() ? "%JAVA_HOME%\\bin\\server\\jvm.dll" : inst.jvmDll(),
                            jars, inst.appHome(), config, logDir(), win(host.platformPaths().dataDir(true).toString()), aotCache);
                } catch (IllegalArgumentException e) {
                    throw new ServiceException(ServiceException.Reason.UNSUPPORTED, e.getMessage() + "; install to another directory");
                }
                if (host.foreign()) {
                    steps.add(new PlanStep.Note("--Classpath lists the jars found in " + inst.jarDir() + " at install time"));
                }
                steps.add(new PlanStep.MakeDirectory(procrun.logDir()));
                steps.add(new PlanStep.MakeDirectory(procrun.workingDir()));
                steps.add(new PlanStep.Run(Command.of(procrun.installArgv())));
                steps.add(new PlanStep.Run(Command.of(ProcrunCommand.failureActionsArgv())));
                steps.add(new PlanStep.Run(Command.of(ProcrunCommand.failureFlagArgv())));
                if (!host.foreign() && !host.exists(config)) {
                    steps.add(new PlanStep.Note("config file " + config + " does not exist yet: create it before starting"));
                }
                steps.add(new PlanStep.Note("set to start automatically at boot; start it now with `steep-repl start`"));
            }
            case UNINSTALL -> {
                requireInstalled(installed, problems);
                Launcher launcher = Launcher.locate(host, options.launcher());
                Installation inst = Installation.of(launcher, host.env());
                steps.add(new PlanStep.Run(Command.of(inst.prunsrv(), "//DS//" + ProcrunCommand.SERVICE_NAME)));
                steps.add(new PlanStep.Note("kept: the config and data in "
                        + win(host.platformPaths().configDir(true).toString()) + " and the logs in " + logDir()));
            }
            case START -> {
                requireInstalled(installed, problems);
                steps.add(new PlanStep.Run(Command.of("net", "start", ProcrunCommand.SERVICE_NAME)));
            }
            case STOP -> {
                requireInstalled(installed, problems);
                steps.add(new PlanStep.Run(Command.of("net", "stop", ProcrunCommand.SERVICE_NAME)));
            }
            case RESTART -> {
                requireInstalled(installed, problems);
                // a stopped service is simply started
                steps.add(new PlanStep.Run(Command.of("net", "stop", ProcrunCommand.SERVICE_NAME), true));
                steps.add(new PlanStep.Run(Command.of("net", "start", ProcrunCommand.SERVICE_NAME)));
            }
        }
        return ServiceManager.finish(title, host, problems, steps, dryRun);
    }

    private void requireInstalled(boolean installed, List<ServiceException> problems) {
        if (!host.foreign() && !installed) {
            problems.add(ServiceManager.notInstalled(""));
        }
    }

    /**
     * The class path: the launcher's, in its order, where there is a launcher cfg (the MSI) — the AOT cache is only
     * used by a JVM with the class path it was made with —, else the jars in the directory.
     */
    private List<String> jars(Installation inst) {
        if (inst.launcherCfg() != null && host.exists(inst.launcherCfg())) {
            try {
                List<String> fromCfg = LauncherCfg.read(host.file(inst.launcherCfg())).classPath().stream()
                        .map(entry -> win(entry.replace("$APPDIR", inst.jarDir()))).toList();
                if (!fromCfg.isEmpty()) {
                    return fromCfg;
                }
            } catch (IOException e) {
                throw new ServiceException(ServiceException.Reason.IO, "cannot read " + inst.launcherCfg() + ": " + e.getMessage(), e);
            }
        }
        return jars(inst.jarDir());
    }

    private List<String> jars(String jarDir) {
        Path dir = host.file(jarDir);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.toLowerCase().endsWith(".jar")).sorted()
                    .map(n -> jarDir + "\\" + n).toList();
        } catch (IOException e) {
            throw new ServiceException(ServiceException.Reason.IO, "cannot list " + jarDir + ": " + e.getMessage(), e);
        }
    }

    private static final Pattern STATE = Pattern.compile("STATE\\s*:\\s*(\\d+)");
    private static final Pattern PID = Pattern.compile("PID\\s*:\\s*(\\d+)");
    private static final Pattern EXIT_CODE = Pattern.compile("WIN32_EXIT_CODE\\s*:\\s*(\\d+)");
    private static final Pattern START_TYPE = Pattern.compile("START_TYPE\\s*:\\s*(\\d+)");

    @Override
    public ServiceStatus status(ServiceScope scope) {
        if (!scope.system()) {
            return ServiceStatus.notInstalled(name(), scope, "Windows has no per-user services");
        }
        CommandRunner.Result query = host.runner().run(Command.of("sc.exe", "queryex", ProcrunCommand.SERVICE_NAME));
        if (!query.ok()) {
            return ServiceStatus.notInstalled(name(), scope, query.exitCode() == 1060
                    ? "service " + ProcrunCommand.SERVICE_NAME + " does not exist" : "sc.exe queryex: " + query.output().strip());
        }
        // the numeric codes are the same in every Windows language; the words after them are translated
        int code = number(STATE, query.output());
        ServiceStatus.State state = switch (code) {
            case 4 -> ServiceStatus.State.ACTIVE;                 // RUNNING
            case 2, 5 -> ServiceStatus.State.STARTING;            // START_PENDING, CONTINUE_PENDING
            case 3, 6, 7 -> ServiceStatus.State.STOPPING;         // STOP_PENDING, PAUSE_PENDING, PAUSED
            case 1 -> number(EXIT_CODE, query.output()) > 0      // STOPPED, after an error?
                    ? ServiceStatus.State.FAILED : ServiceStatus.State.INACTIVE;
            default -> ServiceStatus.State.UNKNOWN;
        };
        long pid = number(PID, query.output());
        CommandRunner.Result config = host.runner().run(Command.of("sc.exe", "qc", ProcrunCommand.SERVICE_NAME));
        boolean enabled = config.ok() && number(START_TYPE, config.output()) == 2; // AUTO_START
        Long mainPid = pid > 0 ? pid : null;
        return new ServiceStatus(name(), scope, true, enabled, state, mainPid,
                mainPid == null ? null : ServiceStatus.processStart(mainPid), "state " + code);
    }

    private static int number(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
