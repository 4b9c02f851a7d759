package io.steep.repl.daemon.service;

import java.util.ArrayList;
import java.util.List;

/**
 * The Windows service registration, as Apache Commons Daemon procrun ({@code prunsrv.exe}) command lines. Pure:
 * the MSI build registers the service with the same argument vector.
 *
 * <p>procrun runs the daemon inside its own process in {@code jvm} mode: it loads the bundled runtime's
 * {@code jvm.dll}, calls {@code io.steep.repl.daemon.Main.main("run", "--config", file)} and reports the service
 * running until main returns. To stop, it calls {@link WindowsServiceStop#stop}, which exits the JVM: the
 * daemon's shutdown hook then stops it gracefully, exactly as SIGTERM does on Linux and macOS.
 *
 * @param prunsrv    path of prunsrv.exe (amd64)
 * @param jvmDll     the runtime's {@code bin\server\jvm.dll}
 * @param classpath  the application's jars
 * @param appHome    the installation directory (passed to the daemon as {@code steep.repl.home})
 * @param configFile passed as {@code run --config <file>}
 * @param logDir     procrun's own log and the daemon's stdout/stderr
 * @param workingDir the service's working directory (the data directory)
 * @param aotCache   the installation's AOT cache ({@code steep-repl aot-cache}, which the MSI runs before it
 *                   registers the service), or {@code null}: made with the launcher's JVM options and class path,
 *                   which the service's are (the class path in the launcher's order), so the service starts from it
 */
public record ProcrunCommand(String prunsrv, String jvmDll, List<String> classpath, String appHome, String configFile,
                             String logDir, String workingDir, String aotCache) {

    public static final String SERVICE_NAME = "steep-repl";

    public ProcrunCommand(String prunsrv, String jvmDll, List<String> classpath, String appHome, String configFile,
                          String logDir, String workingDir) {
        this(prunsrv, jvmDll, classpath, appHome, configFile, logDir, workingDir, null);
    }

    public ProcrunCommand {
        classpath = List.copyOf(classpath);
        // procrun splits list-valued options (--StartParams, --JvmOptions, --Classpath) on ';' and '#'
        List<String> single = new ArrayList<>(List.of(appHome, configFile));
        if (aotCache != null) {
            single.add(aotCache);
        }
        for (String value : concat(classpath, single)) {
            if (value.contains(";") || value.contains("#")) {
                throw new IllegalArgumentException("procrun cannot pass a path containing ';' or '#': " + value);
            }
        }
    }

    /** {@code prunsrv.exe //IS//steep-repl ...}: registers the service, starting automatically at boot. */
    public List<String> installArgv() {
        List<String> argv = new ArrayList<>();
        argv.add(prunsrv);
        argv.add("//IS//" + SERVICE_NAME);
        argv.add("--DisplayName=steep-repl");
        argv.add("--Description=steep-repl replication coordinator for PostgreSQL");
        argv.add("--Startup=auto");
        argv.add("--Jvm=" + jvmDll);
        argv.add("--Classpath=" + String.join(";", classpath));
        // -Xrs: the JVM must not react to console events (a user logging off); the service control manager stops it.
        // The rest are the small-daemon settings every launcher uses (JvmOptionsInStepTest keeps them equal).
        argv.add("--JvmOptions=-Xrs;-XX:+UseSerialGC;-XX:TieredStopAtLevel=1;-Xss512k;-Dsteep.repl.home=" + appHome
                + (aotCache == null ? "" : ";-XX:AOTCache=" + aotCache + ";-XX:+UnlockDiagnosticVMOptions;-XX:-AOTReplayTraining"));
        argv.add("--JvmOptions9=--enable-native-access=ALL-UNNAMED;--sun-misc-unsafe-memory-access=allow");
        argv.add("--JvmMs=16");
        argv.add("--JvmMx=256");
        argv.add("--StartMode=jvm");
        argv.add("--StartClass=io.steep.repl.daemon.Main");
        argv.add("--StartMethod=main");
        argv.add("--StartParams=run;--config;" + configFile);
        argv.add("--StopMode=jvm");
        argv.add("--StopClass=" + WindowsServiceStop.class.getName());
        argv.add("--StopMethod=stop");
        argv.add("--StopTimeout=30");
        argv.add("--StartPath=" + workingDir);
        argv.add("--LogPath=" + logDir);
        argv.add("--LogPrefix=steep-repl");
        argv.add("--LogLevel=Info");
        argv.add("--StdOutput=auto");
        argv.add("--StdError=auto");
        return argv;
    }

    /**
     * Restart after a failure: 5 s, 5 s, then every 30 s; the failure count resets after a day without one. The
     * SCM's equivalent of systemd's Restart=on-failure.
     */
    public static List<String> failureActionsArgv() {
        return List.of("sc.exe", "failure", SERVICE_NAME, "reset=", "86400",
                "actions=", "restart/5000/restart/5000/restart/30000");
    }

    /**
     * Also apply the failure actions when the service stops with an error exit code rather than crashing: procrun
     * reports a daemon that exits with a non-zero status as a stop with an error, not as a crash.
     */
    public static List<String> failureFlagArgv() {
        return List.of("sc.exe", "failureflag", SERVICE_NAME, "1");
    }

    /** {@code //DS//}: stops the service if it runs, then deletes the registration. */
    public List<String> deleteArgv() {
        return List.of(prunsrv, "//DS//" + SERVICE_NAME);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
