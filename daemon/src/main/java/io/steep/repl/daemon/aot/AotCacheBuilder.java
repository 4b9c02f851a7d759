package io.steep.repl.daemon.aot;

import io.steep.repl.daemon.config.PlatformPaths;
import io.steep.repl.daemon.fs.DurableFiles;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Makes an app image's AOT cache with the image's own launcher, so the JVM, its options and the class path are
 * exactly those of every later start (the JVM refuses a cache made with others): a first start that makes the
 * training's certificates, a recorded start ({@code run --aot-training}: every component against an unreachable
 * PostgreSQL, one {@code status.get}, then an orderly stop), the assembly, and a start that must map the result.
 * Only then is the cache moved into place and named in the launcher's cfg. The JDK options go through
 * {@code JAVA_TOOL_OPTIONS}, which the JVM reads whoever creates it; their paths are relative to the working
 * directory, so no quoting is needed for an installation under {@code C:\Program Files}.
 *
 * <p>Nothing is lost on failure: the cfg is what it was (or, if the cache it named is gone, without the option),
 * the cache in place is only ever replaced by one that was checked, and the logs stay in the work directory.
 */
public final class AotCacheBuilder {

    /** Runs one program; returns its exit code, or {@link #TIMED_OUT} after killing it. */
    public interface Runner {
        int run(List<String> argv, Map<String, String> env, Path dir, Path log, Duration timeout)
                throws IOException, InterruptedException;
    }

    public static final int TIMED_OUT = -1;

    /**
     * Child processes, in an environment like a fresh start's: without the JDK's option variables of this process
     * (they would mix in), and without the {@code _JPACKAGE_LAUNCHER} variable our own launcher set for us — a
     * launcher that finds it believes it is its own second stage and hands the command line to the JVM unparsed
     * ("Unrecognized option: --config").
     */
    public static final Runner PROCESSES = (argv, env, dir, log, timeout) -> {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(name -> name.equals("JAVA_TOOL_OPTIONS") || name.equals("JDK_JAVA_OPTIONS")
                || name.equals("_JAVA_OPTIONS") || name.startsWith("_JPACKAGE"));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            p.waitFor();
            return TIMED_OUT;
        }
        return p.exitValue();
    };

    /** A start takes seconds; a slow machine running an installer at the same time gets minutes. */
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    static final String CONF = "steep-repl.aotconf";
    static final String NEW_CACHE = "steep-repl.aot";
    /** Classes and linked call sites only: the launchers run C1 alone, which uses no method profiles. */
    static final String RECORD = "-XX:AOTMode=record -XX:AOTConfiguration=" + CONF
            + " -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining";
    static final String CREATE = "-XX:AOTMode=create -XX:AOTConfiguration=" + CONF + " -XX:AOTCache=" + NEW_CACHE;
    /**
     * Temurin 25.0.3 aborts this class path's assembly (archiveHeapWriter.cpp:757, "Metadata ... should have been
     * archived") when --enable-native-access is among the options; without linking the invokedynamic call sites
     * ahead of time it succeeds, and the classes stay AOT-linked.
     */
    static final String CREATE_RETRY = CREATE + " -XX:+UnlockDiagnosticVMOptions -XX:-AOTInvokeDynamicLinking";
    static final String CHECK_LOG = "-Xlog:aot=info,class+path=info";
    static final String CHECK_NEW = "-XX:AOTCache=" + NEW_CACHE + " -XX:+UnlockDiagnosticVMOptions -XX:-AOTReplayTraining "
            + CHECK_LOG;

    public enum Outcome { BUILT, ALREADY_IN_PLACE }

    /** The cache could not be made; the message says why and where the logs are. */
    public static final class Failure extends Exception {
        private final boolean tried;

        Failure(String message, boolean tried) {
            super(message);
            this.tried = tried;
        }

        /** Whether it got as far as training (else nothing was started: the launcher or its cfg is missing). */
        public boolean tried() {
            return tried;
        }
    }

    private final AppImage image;
    private final PlatformPaths.Os os;
    private final Path work;
    private final Runner runner;
    private final Consumer<String> progress;

    public AotCacheBuilder(AppImage image, PlatformPaths.Os os, Path work, Runner runner, Consumer<String> progress) {
        this.image = image;
        this.os = os;
        this.work = work.toAbsolutePath();
        this.runner = runner;
        this.progress = progress;
    }

    /**
     * Makes the cache, or keeps the one in place when the cfg names it and the JVM maps it (unless {@code force}).
     */
    public Outcome build(boolean force) throws Failure, IOException, InterruptedException {
        if (!Files.isRegularFile(image.launcher())) {
            throw new Failure("launcher " + image.launcher() + " not found", false);
        }
        if (!Files.isRegularFile(image.cfg())) {
            throw new Failure("no launcher configuration at " + image.cfg() + ": " + image.launcher()
                    + " is not the launcher of a jpackage app image (the installed steep-repl)", false);
        }
        Files.createDirectories(work);
        LauncherCfg original = LauncherCfg.read(image.cfg());
        boolean named = original.hasCache(image.cfgCachePath()) && Files.isRegularFile(image.cache());
        Boolean inPlaceWorks = null;
        if (named && !force) {
            progress.accept("checking the cache in place, " + image.cache() + " …");
            String problem = check("check-in-place", CHECK_LOG);
            if (problem == null) {
                return Outcome.ALREADY_IN_PLACE;
            }
            inPlaceWorks = false;
            progress.accept("the cache in place is not used (" + problem + "); making a new one");
        }
        long started = System.nanoTime();
        LauncherCfg stripped = original.withoutCache();
        boolean done = false;
        try {
            // the recorded start must run without a cache: the JVM refuses -XX:AOTCache together with record mode
            if (!stripped.text().equals(original.text())) {
                stripped.write(image.cfg());
            }
            Path config = writeTrainingConfig();
            List<String> training = List.of(image.launcher().toString(), "--config", config.toString(), "run", "--aot-training");
            List<String> version = List.of(image.launcher().toString(), "--version");

            // In a JVM of its own, not recorded: certificate making links BouncyCastle, whose signed jars the cache
            // cannot hold (~450 classes every start would try to load from it)
            progress.accept("1/4 a first start, which makes the training's certificates …");
            run("prepare", training, null);
            clearSpool();

            progress.accept("2/4 the recorded start (every component, against an unreachable PostgreSQL) …");
            int rc = run("training", training, RECORD);
            clearSpool();
            if (rc != 0 || !nonEmpty(work.resolve(CONF))) {
                throw failure("the recorded start failed (" + exit(rc) + ")", "training.log");
            }

            progress.accept("3/4 assembling the cache …");
            Path made = work.resolve(NEW_CACHE);
            Files.deleteIfExists(made);
            rc = run("assembly", version, CREATE);
            if (rc != 0 || !nonEmpty(made)) {
                Files.deleteIfExists(made);
                progress.accept("    the assembly failed (" + exit(rc) + "); again without linking invokedynamic call sites ahead of time");
                rc = run("assembly-retry", version, CREATE_RETRY);
                if (rc != 0 || !nonEmpty(made)) {
                    Files.deleteIfExists(made);
                    throw failure("assembling the cache failed (" + exit(rc) + ")", "assembly-retry.log");
                }
            }

            progress.accept("4/4 checking that the JVM maps it …");
            String problem = check("check", CHECK_NEW);
            if (problem != null) {
                throw failure("the JVM does not use the new cache: " + problem, "check.log");
            }
            install(made);
            stripped.withCache(image.cfgCachePath()).write(image.cfg());
            done = true;
            progress.accept("done: " + image.cache() + " (" + Files.size(image.cache()) / (1024 * 1024) + " MB) in "
                    + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s; " + image.cfg()
                    + " passes it to the JVM");
            return Outcome.BUILT;
        } finally {
            if (!done) {
                // as it was, when the cache it named is still there and not known to be refused; else no option
                boolean keep = named && Files.isRegularFile(image.cache()) && !Boolean.FALSE.equals(inPlaceWorks);
                LauncherCfg back = keep ? original : stripped;
                if (!back.text().equals(LauncherCfg.read(image.cfg()).text())) {
                    back.write(image.cfg());
                }
            }
        }
    }

    /**
     * Starts {@code --version} with {@code options} and reads what the JVM logged: {@code null} when it used the
     * AOT cache (class path validated, AOT-linked classes on, no aot error), else what was wrong.
     */
    private String check(String name, String options) throws IOException, InterruptedException {
        int rc = run(name, List.of(image.launcher().toString(), "--version"), options);
        String log = Files.readString(work.resolve(name + ".log"), StandardCharsets.UTF_8);
        return problemIn(log, rc);
    }

    static String problemIn(String log, int exit) {
        String error = null;
        String changedFile = null;
        for (String line : log.split("\r?\n")) {
            if (!line.matches("^\\[[^]]*]\\[(error|warning) *]\\[(aot|cds) *].*")) {
                continue;
            }
            String text = line.replaceFirst("^(\\[[^]]*])+\\s*", "");
            if (line.contains("[error")) {
                error = error == null ? text : error;
            } else if (changedFile == null && text.startsWith("This file is not the one used")) {
                changedFile = text; // says which jar, where the error lines only say "mismatch"
            }
        }
        if (error != null) {
            return changedFile != null ? changedFile : error;
        }
        if (exit != 0) {
            return "steep-repl --version ended with " + exit(exit);
        }
        if (!log.contains("Using AOT-linked classes: true")) {
            return "no AOT-linked classes";
        }
        if (!log.contains("Archived app classpath validation: passed")) {
            return "the class path was not validated";
        }
        return null;
    }

    private int run(String name, List<String> argv, String toolOptions) throws IOException, InterruptedException {
        Map<String, String> env = new LinkedHashMap<>();
        if (toolOptions != null) {
            env.put("JAVA_TOOL_OPTIONS", toolOptions);
        }
        // the training's state stays in the work directory, not the home of whoever builds or installs
        env.put("XDG_CONFIG_HOME", work.resolve("xdg").toString());
        env.put("XDG_DATA_HOME", work.resolve("xdg").toString());
        if (os != PlatformPaths.Os.WINDOWS) {
            env.put("HOME", Files.createDirectories(work.resolve("home")).toString());
        }
        return runner.run(argv, env, work, work.resolve(name + ".log"), RUN_TIMEOUT);
    }

    /** The new cache beside the old one, then renamed over it: a start sees the old file or the new one, whole. */
    private void install(Path made) throws Failure, IOException {
        Path target = image.cache();
        Path next = target.resolveSibling(target.getFileName() + ".new");
        try {
            Files.copy(made, next, StandardCopyOption.REPLACE_EXISTING);
            DurableFiles.replace(next, target);
        } catch (FileSystemException e) {
            Files.deleteIfExists(next);
            // Windows will not replace a file a running JVM has mapped
            throw new Failure("cannot put the cache at " + target + ": " + e.getMessage()
                    + " (if a steep-repl runs from this installation, stop it and run `steep-repl aot-cache` again)", true);
        }
    }

    private Path writeTrainingConfig() throws IOException {
        Path config = work.resolve("config.yaml");
        int[] ports = freePorts(3);
        String ipc = os == PlatformPaths.Os.WINDOWS
                ? "\\\\.\\pipe\\steep-repl-aot-training-" + ProcessHandle.current().pid()
                : socketPath();
        String yaml = """
                # steep-repl aot-cache: the training start's configuration (an unreachable PostgreSQL and peer)
                repl:
                  node_id: aot-training
                  postgresql:
                    host: 127.0.0.1
                    port: 1
                    sslmode: disable
                  grpc:
                    bind: 127.0.0.1
                    port: %d
                    tls:
                      cert_file: certs/node-cert.pem
                      key_file: certs/node-key.pem
                      ca_file: certs/ca-cert.pem
                  http:
                    port: %d
                  ipc:
                    path: %s
                  cluster:
                    peers: ["127.0.0.1:%d"]
                  audit:
                    spool_dir: spool
                """.formatted(ports[0], ports[1], quoted(ipc), ports[2]);
        Files.writeString(config, yaml, StandardCharsets.UTF_8);
        return config;
    }

    /** In the work directory unless that makes it longer than a socket address can be (104 bytes on macOS). */
    private String socketPath() {
        String inWork = work.resolve("ipc.sock").toString();
        return inWork.length() < 100 ? inWork
                : Path.of(System.getProperty("java.io.tmpdir"), "steep-repl-aot-" + ProcessHandle.current().pid() + ".sock").toString();
    }

    /** YAML single quotes: backslashes stay as they are (Windows pipe names), a quote is doubled. */
    static String quoted(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** Ports nothing listens on now: the training's gRPC and HTTP, and a peer that refuses connections. */
    private static int[] freePorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }

    /** Each training start begins with an empty audit spool, as a fresh installation's first start does. */
    private void clearSpool() throws IOException {
        deleteTree(work.resolve("spool"));
    }

    /** Deletes a directory and everything in it; nothing when it does not exist. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private Failure failure(String what, String log) {
        return new Failure(what + "; see " + work.resolve(log), true);
    }

    private static String exit(int rc) {
        return rc == TIMED_OUT ? "killed after " + RUN_TIMEOUT.toMinutes() + " minutes" : "exit " + rc;
    }

    private static boolean nonEmpty(Path file) throws IOException {
        return Files.isRegularFile(file) && Files.size(file) > 0;
    }
}
