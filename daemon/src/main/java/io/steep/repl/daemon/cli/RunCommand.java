package io.steep.repl.daemon.cli;

import io.steep.repl.daemon.config.ConfigException;
import io.steep.repl.daemon.config.ConfigLoader;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.config.PlatformPaths;
import io.steep.repl.daemon.db.Backoff;
import io.steep.repl.daemon.embedded.DevConfig;
import io.steep.repl.daemon.embedded.EmbeddedPostgresServer;
import io.steep.repl.daemon.embedded.TrayLauncher;
import io.steep.repl.daemon.lifecycle.Component;
import io.steep.repl.daemon.lifecycle.Daemon;
import io.steep.repl.daemon.lifecycle.StartupException;
import io.steep.repl.daemon.logging.LoggingSetup;
import io.steep.repl.ipc.IpcException;
import io.steep.repl.ipc.IpcMethods;
import io.steep.repl.ipc.client.IpcClient;
import io.steep.repl.ipc.transport.AccessPolicy;
import io.steep.repl.ipc.transport.IpcEndpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code steep-repl run}: the daemon in the foreground, until SIGTERM/SIGINT (or the Windows service stop).
 * Graceful shutdown runs in a JVM shutdown hook — the one path all of those take — and ends the process with
 * exit code 0 after a clean stop.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the daemon in the foreground (what systemd, launchd and the Windows service start).")
final class RunCommand implements Callable<Integer> {

    @ParentCommand
    SteepReplCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--debug", description = "log at DEBUG level, libraries included")
    boolean debug;

    @Option(names = "--embedded-postgres", description = "developer main job: run an embedded PostgreSQL 18 in your data "
            + "directory, install the extension, create a development config if none exists, and run against it")
    boolean embeddedPostgres;

    @Option(names = "--user", description = "per-user paths (config, data, IPC socket under your home / runtime dir) "
            + "even as root or SYSTEM: the daemon a user starts for themselves, e.g. from the tray app")
    boolean user;

    @Option(names = "--no-tray", description = "with --embedded-postgres: do not open the tray app even when a display exists")
    boolean noTray;

    /**
     * Build time only (daemon/pom.xml): start every component, then stop at once, so the JDK's
     * {@code -XX:AOTCacheOutput} training run records the classes a real start-up loads. Makes the dev CA and node
     * certificate beside the config like the main job does, so TLS start-up is part of the training.
     */
    @Option(names = "--aot-training", hidden = true)
    boolean aotTraining;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        // The main job is a developer's own daemon: user-mode paths even when run as root.
        ConfigLoader loader = embeddedPostgres || user
                ? new ConfigLoader(PlatformPaths.current(), System.getenv(), false) : ConfigLoader.forThisProcess();
        Path file = loader.locate(root.config());
        if (embeddedPostgres) {
            try {
                if (DevConfig.writeIfMissing(file, DevConfig.nodeIdFrom(DevConfig.hostname()))) {
                    out.println("Created a development config at " + file);
                    out.flush();
                }
            } catch (IOException e) {
                err.println("steep-repl: cannot write a development config at " + file + ": " + e.getMessage());
                err.flush();
                return ExitCodes.ERROR;
            }
        }
        DaemonConfig config;
        try {
            config = loader.load(file, true);
        } catch (ConfigException e) {
            e.problems().forEach(p -> err.println("steep-repl: " + p));
            err.println("steep-repl: configuration refused; nothing was started");
            err.flush();
            return ExitCodes.ERROR;
        }
        try {
            LoggingSetup.configure(config.logging().level(), config.logging().file(), debug, PlatformPaths.Os.current(), System.getenv());
        } catch (IllegalStateException e) {
            err.println("steep-repl: " + e.getMessage());
            err.flush();
            return ExitCodes.ERROR;
        }

        if ((embeddedPostgres || aotTraining) && !devCertificates(config, file, out, err)) {
            return ExitCodes.ERROR;
        }
        EmbeddedPostgresServer embedded = embeddedPostgres
                ? new EmbeddedPostgresServer(loader.paths().dataDir(false).resolve("embedded-pg"), config) : null;
        List<Component> first = embedded == null ? List.of() : List.of(embedded);
        Daemon daemon = new Daemon(config, Backoff.DEFAULT, first, List.of());

        // Registered before start so a SIGTERM during start-up still ends in an orderly stop.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Boolean clean = daemon.stopIfRunning();
            if (clean != null) {
                LoggingSetup.shutdown();
                // SIGTERM would otherwise end the JVM with 143: a graceful stop is a successful exit.
                Runtime.getRuntime().halt(clean ? ExitCodes.OK : ExitCodes.ERROR);
            }
        }, "steep-repl-shutdown"));

        try {
            daemon.start();
        } catch (StartupException e) {
            err.println("steep-repl: cannot start: " + e.getMessage());
            err.flush();
            LoggingSetup.shutdown();
            return ExitCodes.ERROR;
        }
        if (embedded != null) {
            banner(out, config, embedded, file, daemon);
            if (!noTray) {
                openTray(out, config, loader.paths().dataDir(false).resolve("tray.log"));
            }
        }
        if (aotTraining) {
            askOwnStatus(config, err);
            return ExitCodes.OK; // Main's System.exit runs the shutdown hook: a full, orderly stop
        }
        new CountDownLatch(1).await(); // until the shutdown hook ends the process
        return ExitCodes.OK;
    }

    /**
     * AOT training: one {@code status.get} over our own IPC endpoint, as the first client of every real start
     * (the tray, {@code steep-repl status}, a readiness probe) asks, so the cache holds the classes that answer it:
     * the IPC session, the hand-built answer trees and jackson-core's generator. Without it they were read from the
     * jars, and verified, at the first request of every start. Asked through the project's own {@link IpcClient},
     * which {@code steep-repl status} runs with the same cache; neither side binds records here, so Jackson's data
     * binding stays out of the cache (docs/benchmarks.md, eleventh day).
     */
    private static void askOwnStatus(DaemonConfig config, PrintWriter err) {
        if (!config.ipc().enabled()) {
            return;
        }
        IpcEndpoint endpoint = IpcEndpoint.of(config.ipc().path(), AccessPolicy.OWNER_ONLY);
        try (IpcClient client = IpcClient.connect(endpoint, Duration.ofSeconds(5))) {
            client.call(IpcMethods.STATUS_GET, null, Duration.ofSeconds(5));
        } catch (IpcException | IOException e) {
            // an error answer would train the error path instead: say so in the build's training log
            err.println("steep-repl: AOT training: status.get over IPC failed: " + e.getMessage());
            err.flush();
        }
    }

    /**
     * The main job's one-node cluster needs TLS files before gRPC starts: when the config names the dev layout
     * ({@code certs/} beside it) and the node certificate is missing, make a development CA and certificate.
     */
    private static boolean devCertificates(DaemonConfig config, Path file, PrintWriter out, PrintWriter err) {
        Path dir = file.toAbsolutePath().getParent();
        Path expected = dir.resolve("certs").resolve("node-cert.pem");
        if (!config.grpc().enabled() || config.grpc().tls().insecure()
                || !config.grpc().tls().certFile().map(expected::equals).orElse(false)) {
            return true;
        }
        try {
            if (DevConfig.writeCertificatesIfMissing(dir, config.nodeId())) {
                out.println("Created a development CA and a certificate for node " + config.nodeId() + " in " + dir.resolve("certs"));
                out.flush();
            }
            return true;
        } catch (RuntimeException e) {
            err.println("steep-repl: cannot create development certificates in " + dir.resolve("certs") + ": " + e.getMessage());
            err.flush();
            return false;
        }
    }

    /** The main job shows the tray app too when there is a display and the tray is built or installed beside us. */
    private static void openTray(PrintWriter out, DaemonConfig config, Path log) {
        String home = System.getProperty("steep.repl.home");
        PlatformPaths.Os os = PlatformPaths.Os.current();
        if (home == null || !config.ipc().enabled() || !TrayLauncher.displayAvailable(os, System.getenv())) {
            return;
        }
        TrayLauncher.find(Path.of(home), os).ifPresentOrElse(launcher -> {
            try {
                Process tray = TrayLauncher.start(launcher, config.ipc().path(), log);
                Runtime.getRuntime().addShutdownHook(new Thread(tray::destroy, "steep-repl-tray-stop"));
                out.println("  tray:   started (" + launcher + ", log " + log + ")");
            } catch (IOException e) {
                out.println("  tray:   could not start " + launcher + ": " + e.getMessage());
            }
            out.flush();
        }, () -> {
            out.println("  tray:   not found beside this installation (build it: ./mvnw -pl tray-ui -am package)");
            out.flush();
        });
    }

    private static void banner(PrintWriter out, DaemonConfig config, EmbeddedPostgresServer embedded, Path file, Daemon daemon) {
        var pg = config.postgresql();
        out.println();
        out.println("steep-repl is running against an embedded PostgreSQL 18 (data: " + embedded.dataDirectory() + ")");
        if (daemon.http() != null) {
            String host = config.http().bind().equals("0.0.0.0") ? "127.0.0.1" : config.http().bind();
            out.println("  health: http://" + host + ":" + daemon.http().port() + "/health");
        }
        out.println("  IPC:    " + (config.ipc().enabled() ? config.ipc().path() : "disabled"));
        out.println("  psql:   psql \"host=" + pg.host() + " port=" + pg.port() + " user=" + pg.user() + " dbname=" + pg.database() + "\"");
        out.println("  config: " + file);
        out.println("Stop with Ctrl+C.");
        out.flush();
    }
}
