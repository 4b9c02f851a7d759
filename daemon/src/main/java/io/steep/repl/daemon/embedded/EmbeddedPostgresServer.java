package io.steep.repl.daemon.embedded;

import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.lifecycle.Component;
import io.steep.repl.daemon.lifecycle.StartupException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

/**
 * The developer main job's PostgreSQL 18: zonky's embedded binaries, a persistent data directory in the user's
 * data dir (never cleaned), on the configured port, loading the extension files this build ships. Started
 * before the daemon's own components and stopped after them.
 */
public final class EmbeddedPostgresServer implements Component {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Set<String> LOCAL = Set.of("127.0.0.1", "localhost", "::1");

    private final Path home;
    private final DaemonConfig.Postgres settings;
    private EmbeddedPostgres pg;

    /** @param home e.g. {@code ~/.local/share/steep-repl/embedded-pg}: holds data/, bin/, ext/, postgres.log */
    public EmbeddedPostgresServer(Path home, DaemonConfig config) {
        this.home = home;
        this.settings = config.postgresql();
    }

    @Override
    public String name() {
        return "embedded-postgresql";
    }

    public Path dataDirectory() {
        return home.resolve("data");
    }

    @Override
    public void start() throws StartupException, IOException, SQLException {
        if (!LOCAL.contains(settings.host())) {
            throw new StartupException("--embedded-postgres needs repl.postgresql.host 127.0.0.1 or localhost (the config says "
                    + settings.host() + "); use a development config, or run without --embedded-postgres");
        }
        Files.createDirectories(home);
        Path ext = ExtensionResources.layOut(home.resolve("ext"));
        Path logFile = home.resolve("postgres.log");
        try {
            pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory().toFile())
                    .setOverrideWorkingDirectory(home.resolve("bin").toFile())
                    .setCleanDataDirectory(false)
                    // the daemon stops this server itself, after its last audit event: zonky's own hook would stop it
                    // in parallel with the daemon's, and daemon.stopped would wait in the spool for the next start
                    .setRegisterShutdownHook(false)
                    .setPort(settings.port())
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    // zonky's test-speed defaults lose data on a crash; this cluster is persistent
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("extension_control_path", ExtensionResources.controlPathSetting(ext))
                    .setLocaleConfig("locale", "C")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IllegalStateException e) {
            // zonky's resolver: the binaries jar is not on the class path, as in the installed packages (DEB, MSI,
            // DMG), which leave its 38 MB out
            if (String.valueOf(e.getMessage()).startsWith("Missing embedded postgres binaries")) {
                throw new StartupException("the embedded PostgreSQL binaries are not part of the installed package; "
                        + "--embedded-postgres is for a source build (see README.md). Run without it against a "
                        + "PostgreSQL 18 server named in repl.postgresql", e);
            }
            throw e;
        } catch (IOException e) {
            throw new StartupException("embedded PostgreSQL did not start on port " + settings.port() + ": " + e.getMessage()
                    + " (is the port free? see " + logFile + ")", e);
        }
        try {
            try (Connection c = pg.getDatabase("postgres", "postgres").getConnection()) {
                createDatabaseIfMissing(c);
            }
            try (Connection c = pg.getDatabase("postgres", settings.database()).getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS steep_repl");
            }
        } catch (SQLException | RuntimeException e) {
            // a component that fails its start is not stopped by the stack, and no hook of zonky's stops it either
            stop();
            throw e;
        }
        log.info("embedded PostgreSQL 18 running on 127.0.0.1:{} with data in {}", settings.port(), dataDirectory());
    }

    private void createDatabaseIfMissing(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, settings.database());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT format('CREATE DATABASE %I', ?::text)");
             Statement s = c.createStatement()) {
            ps.setString(1, settings.database());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                s.execute(rs.getString(1)); // identifier quoted by the server's own format(%I)
            }
        }
    }

    @Override
    public void stop() throws IOException {
        if (pg != null) {
            EmbeddedPostgres running = pg;
            pg = null;
            running.close(); // fast shutdown; the data directory stays (clean = false)
        }
    }
}
