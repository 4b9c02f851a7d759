package io.steep.repl.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server from zonky's embedded binaries, data under the module's {@code target/}.
 * Stop/start keep the data directory and port, so fault tests can take the server away and bring it back.
 */
public final class EmbeddedPgServer implements PgServer {

    private final Path baseDir;
    private final Path dataDir;
    private final Path workDir;
    private final Path extensionRoot;
    private final PgBinaryResolver binaries;
    private final int port;
    private volatile EmbeddedPostgres pg;
    private final int majorVersion;

    private EmbeddedPgServer(Path baseDir, PgBinaryResolver binaries, boolean withControlPath) {
        this.baseDir = baseDir;
        this.dataDir = baseDir.resolve("data");
        this.workDir = baseDir.resolve("bin");
        this.extensionRoot = withControlPath ? ExtensionFiles.layOut(baseDir.resolve("ext")) : null;
        this.binaries = binaries;
        try {
            if (Files.exists(dataDir)) {
                deleteTree(dataDir);
            }
            this.pg = builder(0).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL in " + baseDir, e);
        }
        this.port = pg.getPort();
        this.majorVersion = queryMajorVersion();
    }

    /** PG 18 from the binaries on the test classpath, loading the extension files under test. */
    public static EmbeddedPgServer startPg18(Path baseDir) {
        return new EmbeddedPgServer(baseDir, null, true);
    }

    /**
     * An older server whose zonky binaries jar sits outside the classpath (two binaries jars on one classpath
     * are rejected). PG &lt; 18 has no {@code extension_control_path}; use {@link #installExtensionFiles()}.
     */
    public static EmbeddedPgServer startFromBinariesJar(Path baseDir, Path binariesJar) {
        return new EmbeddedPgServer(baseDir, new JarPgBinaryResolver(binariesJar), false);
    }

    /**
     * Never lets zonky clean the data directory: it would delete it on stop and a restart would bring up an
     * empty cluster. The directory is wiped once, before the first start, instead. synchronous_commit stays on,
     * so an IMMEDIATE stop (a killed server, not a crashed OS) loses no committed transaction; fsync stays off
     * (zonky's -F) because a test server need not survive an OS crash and fsync makes every stop slow.
     */
    private EmbeddedPostgres.Builder builder(int fixedPort) {
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(workDir.toFile())
                .setDataDirectory(dataDir.toFile())
                .setCleanDataDirectory(false)
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_connections", "300")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setLocaleConfig("locale", "C")
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(baseDir.resolve("postgres.log").toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(baseDir.resolve("postgres.log").toFile()));
        if (extensionRoot != null) {
            b.setServerConfig("extension_control_path", ExtensionFiles.controlPathSetting(extensionRoot));
        }
        if (binaries != null) {
            b.setPgBinaryResolver(binaries);
        }
        if (fixedPort > 0) {
            b.setPort(fixedPort);
        }
        return b;
    }

    private int queryMajorVersion() {
        try (Connection c = connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException("embedded PostgreSQL started but does not answer", e);
        }
    }

    /** For servers without extension_control_path: copies the files into the server's own SHAREDIR. */
    public void installExtensionFiles() {
        try (Connection c = connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT setting FROM pg_config WHERE name = 'SHAREDIR'")) {
            rs.next();
            Path tmp = ExtensionFiles.layOut(baseDir.resolve("ext-copy"));
            Path target = Path.of(rs.getString(1), "extension");
            for (String f : ExtensionFiles.FILES) {
                Files.copy(tmp.resolve("extension").resolve(f), target.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("could not copy extension files into the server's SHAREDIR", e);
        }
    }

    @Override public String host() { return "127.0.0.1"; }
    @Override public int port() { return port; }
    @Override public String superuser() { return "postgres"; }
    @Override public String password() { return ""; }
    @Override public int majorVersion() { return majorVersion; }
    @Override public boolean controllable() { return true; }

    /** The directory of the extension files this server loads (contains {@code extension/}). */
    public Path extensionRoot() {
        return extensionRoot;
    }

    @Override
    public synchronized void stop(StopMode mode) {
        EmbeddedPostgres current = pg;
        if (current == null) {
            return;
        }
        if (mode == StopMode.IMMEDIATE) {
            pgCtl("-D", dataDir.toString(), "-m", "immediate", "-w", "stop");
        }
        try {
            current.close(); // fast stop (a no-op pg_ctl error when already down is logged by zonky) and unlock
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // zonky's pg_ctl stop gives up after a few seconds; a restart must not race a shutdown still running
        Path pid = dataDir.resolve("postmaster.pid");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (Files.exists(pid)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL did not stop within 60 s (" + pid + " still exists)");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        pg = null;
    }

    @Override
    public synchronized void start() {
        if (pg != null) {
            return;
        }
        try {
            pg = builder(port).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not restart embedded PostgreSQL on port " + port, e);
        }
    }

    /** Runs pg_ctl from the extracted binaries the way zonky does (through {@code unshare -U} when root). */
    private void pgCtl(String... args) {
        Path pgCtl;
        try (Stream<Path> dirs = Files.list(workDir)) {
            String exe = System.getProperty("os.name", "").startsWith("Windows") ? "bin/pg_ctl.exe" : "bin/pg_ctl";
            pgCtl = dirs.map(d -> d.resolve(exe)).filter(Files::isExecutable).findFirst()
                    .orElseThrow(() -> new IllegalStateException("pg_ctl not found under " + workDir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>();
        if (isRoot() && new File("/usr/bin/unshare").canExecute()) {
            cmd.addAll(List.of("unshare", "-U"));
        }
        cmd.add(pgCtl.toString());
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(baseDir.resolve("postgres.log").toFile())).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("pg_ctl " + String.join(" ", args) + " did not finish");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    public void close() {
        stop(StopMode.FAST);
    }
}
