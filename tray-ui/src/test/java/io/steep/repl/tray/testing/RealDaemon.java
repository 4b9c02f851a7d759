package io.steep.repl.tray.testing;

import io.steep.repl.testing.PgServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * The assembled {@code steep-repl} daemon ({@code daemon/target/steep-repl/bin/steep-repl run}) as a child process:
 * its own temp directory with a config (gRPC without TLS on a free port, HTTP on a free port, the IPC socket in that
 * directory), pointed at a database of a real PostgreSQL server. No daemon class is on the tray's class path.
 */
public final class RealDaemon implements AutoCloseable {

    public static final Path DIST = Path.of(System.getProperty("steep.daemon.dist.dir", "../daemon/target/steep-repl"));

    private final Path dir;
    private final Path config;
    private final Path socket;
    private final String password;
    private Process process;

    private RealDaemon(Path dir, Path config, Path socket, String password) {
        this.dir = dir;
        this.config = config;
        this.socket = socket;
        this.password = password;
    }

    public static boolean built() {
        return Files.isExecutable(DIST.resolve("bin/steep-repl"));
    }

    /**
     * Writes the config; {@link #start()} runs it.
     *
     * @param role     the PostgreSQL role the daemon connects as
     * @param password its password (handed over as PGPASSWORD: the config refuses passwords), "" for none
     */
    public static RealDaemon configure(PgServer pg, String database, String role, String password) throws IOException {
        Path dir = Files.createTempDirectory("steep-tray-real");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path socket = dir.resolve("ipc.sock");
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                repl:
                  node_id: tray-node
                  node_name: Tray Test Node
                  postgresql:
                    host: %s
                    port: %d
                    database: %s
                    user: %s
                    sslmode: disable
                    pool_size: 2
                  grpc:
                    bind: 127.0.0.1
                    port: %d
                    tls: {insecure: true}
                  http:
                    bind: 127.0.0.1
                    port: %d
                  ipc:
                    path: %s
                  audit:
                    spool_dir: %s
                """.formatted(pg.host(), pg.port(), database, role, freePort(), freePort(), socket, dir.resolve("spool")));
        return new RealDaemon(dir, config, socket, password);
    }

    public static RealDaemon configure(PgServer pg, String database) throws IOException {
        return configure(pg, database, pg.superuser(), pg.password());
    }

    /** Starts the daemon and waits for its IPC socket. */
    public RealDaemon start() throws IOException, InterruptedException {
        ProcessBuilder b = new ProcessBuilder(DIST.resolve("bin/steep-repl").toString(), "run", "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        if (!password.isEmpty()) {
            b.environment().put("PGPASSWORD", password);
        }
        process = b.start();
        for (int i = 0; i < 300 && !Files.exists(socket); i++) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the daemon exited with " + process.exitValue() + ": " + Files.readString(log()));
            }
            Thread.sleep(100);
        }
        if (!Files.exists(socket)) {
            throw new IllegalStateException("no IPC socket at " + socket + " after 30 s; log: " + log());
        }
        return this;
    }

    /** Like {@code kill -9}: no goodbye on the socket. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }

    public Path dir() {
        return dir;
    }

    public Path config() {
        return config;
    }

    public Path socket() {
        return socket;
    }

    public Path log() {
        return dir.resolve("daemon.log");
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
