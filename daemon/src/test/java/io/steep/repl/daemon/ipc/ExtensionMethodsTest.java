package io.steep.repl.daemon.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.daemon.service.RecordingRunner;
import io.steep.repl.ipc.IpcErrorCode;
import io.steep.repl.ipc.IpcException;
import io.steep.repl.ipc.IpcMethods;
import io.steep.repl.testing.EmbeddedPgServer;
import io.steep.repl.testing.PgServer;
import io.steep.repl.testing.RealPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** extension.status / extension.install over a real socket against real PostgreSQL servers (18 and 17). */
@ExtendWith(RealPostgres.class)
@Timeout(180)
class ExtensionMethodsTest {

    private static final AtomicInteger ROLES = new AtomicInteger();

    @TempDir
    Path dir;
    private PgServer pg;
    private final AtomicInteger changed = new AtomicInteger();

    @BeforeEach
    void server(PgServer pg) {
        this.pg = pg;
    }

    private static PGSimpleDataSource dataSource(PgServer pg, String db, String user, String password) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {pg.host()});
        ds.setPortNumbers(new int[] {pg.port()});
        ds.setDatabaseName(db);
        ds.setUser(user);
        if (!password.isEmpty()) {
            ds.setPassword(password);
        }
        return ds;
    }

    private AdminServer ipc(DataSource ds, String name) throws Exception {
        AdminDeps base = Fixtures.adminDeps(ds, dir.resolve(name), new RecordingRunner(), null);
        return new AdminServer(dir.resolve(name), new AdminDeps(ds, changed::incrementAndGet, base.config(),
                Clock.systemUTC(), base.service(), null));
    }

    private String installedVersion(PgServer server, String db) throws Exception {
        try (Connection c = server.connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'steep_repl'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void installsIntoADatabaseWithoutItAndReportsTheVersions() throws Exception {
        String db = pg.createDatabase("ext_bare");
        try (AdminServer ipc = ipc(dataSource(pg, db, pg.superuser(), pg.password()), "bare")) {
            JsonNode before = ipc.call(IpcMethods.EXTENSION_STATUS, null);
            assertThat(before.path("database").asText()).isEqualTo(db);
            assertThat(before.path("server_version").asText()).startsWith("18");
            assertThat(before.path("server_version_num").asInt()).isGreaterThanOrEqualTo(180000);
            assertThat(before.path("supported").asBoolean()).isTrue();
            assertThat(before.path("superuser").asBoolean()).isTrue();
            assertThat(before.path("available").asBoolean()).isTrue();
            assertThat(before.path("default_version").asText()).isEqualTo("0.1.0");
            assertThat(before.path("installed").asBoolean(true)).isFalse();
            assertThat(before.path("installed_version").isNull()).isTrue();

            JsonNode installed = ipc.call(IpcMethods.EXTENSION_INSTALL, null);
            assertThat(installed.path("action").asText()).isEqualTo("created");
            assertThat(installed.path("installed_version").asText()).isEqualTo("0.1.0");
            assertThat(installed.path("server_version").asText()).startsWith("18");
            assertThat(installedVersion(pg, db)).isEqualTo("0.1.0");
            assertThat(changed.get()).isEqualTo(1);

            JsonNode again = ipc.call(IpcMethods.EXTENSION_INSTALL, null);
            assertThat(again.path("action").asText()).isEqualTo("unchanged");
            assertThat(again.path("previous_version").asText()).isEqualTo("0.1.0");
            assertThat(changed.get()).isEqualTo(1);
            assertThat(ipc.call(IpcMethods.EXTENSION_STATUS, null).path("installed").asBoolean()).isTrue();
        }
    }

    @Test
    void anOlderInstalledVersionIsUpdatedAndAMissingUpdatePathIsExplained() throws Exception {
        String db = pg.createDatabase("ext_old");
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION steep_repl");
            // a version older than the files on the server, with no update script from it
            s.execute("UPDATE pg_extension SET extversion = '0.0.9' WHERE extname = 'steep_repl'");
        }
        try (AdminServer ipc = ipc(dataSource(pg, db, pg.superuser(), pg.password()), "old")) {
            JsonNode status = ipc.call(IpcMethods.EXTENSION_STATUS, null);
            assertThat(status.path("installed_version").asText()).isEqualTo("0.0.9");
            assertThat(status.path("update_available").asBoolean()).isTrue();

            IpcException e = ipc.error(IpcMethods.EXTENSION_INSTALL, null);
            assertThat(e.errorCode()).isEqualTo(IpcErrorCode.EXTENSION_FILES_MISSING);
            assertThat(e.getMessage()).contains("cannot update version 0.0.9 to 0.1.0").contains("update path");
            assertThat(installedVersion(pg, db)).isEqualTo("0.0.9");
            assertThat(changed.get()).isZero();
        }
    }

    @Test
    void aRoleWithoutSuperuserIsToldHowToInstallItAsPostgres() throws Exception {
        String db = pg.createDatabase("ext_role");
        String role = "ext_plain_" + ROLES.incrementAndGet() + "_" + ProcessHandle.current().pid();
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'not-a-secret' NOSUPERUSER");
        }
        try (AdminServer ipc = ipc(dataSource(pg, db, role, "not-a-secret"), "role")) {
            JsonNode status = ipc.call(IpcMethods.EXTENSION_STATUS, null);
            assertThat(status.path("superuser").asBoolean(true)).isFalse();
            assertThat(status.path("role").asText()).isEqualTo(role);

            IpcException e = ipc.error(IpcMethods.EXTENSION_INSTALL, null);
            assertThat(e.errorCode()).isEqualTo(IpcErrorCode.PERMISSION_DENIED);
            assertThat(e.getMessage()).contains("needs a superuser").contains("the daemon connects as " + role)
                    .contains("psql -c 'CREATE EXTENSION steep_repl' " + db)
                    .contains("steep_repl.grant_daemon_access('" + role + "')");
            assertThat(installedVersion(pg, db)).isNull();
        }
    }

    @Test
    void aServerWithoutTheExtensionFilesIsExplained() throws Exception {
        String db = pg.createDatabase("ext_nofiles");
        PGSimpleDataSource ds = dataSource(pg, db, pg.superuser(), pg.password());
        // this session looks only in the server's own extension directory, where the files under test are not
        ds.setOptions("-c extension_control_path=$system");
        try (AdminServer ipc = ipc(ds, "nofiles")) {
            JsonNode status = ipc.call(IpcMethods.EXTENSION_STATUS, null);
            assertThat(status.path("available").asBoolean(true)).isFalse();
            assertThat(status.path("default_version").isNull()).isTrue();

            IpcException e = ipc.error(IpcMethods.EXTENSION_INSTALL, null);
            assertThat(e.errorCode()).isEqualTo(IpcErrorCode.EXTENSION_FILES_MISSING);
            assertThat(e.getMessage()).containsAnyOf("is not available", "could not open extension control file") // the server's words
                    .contains("has no steep_repl extension files").contains("steep-repl package")
                    .contains("extension_control_path = '$system:DIR'");
            assertThat(installedVersion(pg, db)).isNull();
        }
    }

    @Test
    void anUnreachableServerIsNotConnected() throws Exception {
        try (AdminServer ipc = ipc(Fixtures.unreachableDataSource(), "down")) {
            for (String method : new String[] {IpcMethods.EXTENSION_STATUS, IpcMethods.EXTENSION_INSTALL}) {
                IpcException e = ipc.error(method, null);
                assertThat(e.errorCode()).as(method).isEqualTo(IpcErrorCode.NOT_CONNECTED);
                assertThat(e.getMessage()).as(method).contains("PostgreSQL is not reachable");
            }
        }
    }

    @Test
    void postgres17IsRefusedWithTheReason() throws Exception {
        // copied aside by the extension module during the reactor build (two binaries jars cannot share a classpath)
        Path jar = RealPostgres.targetDir().resolve("../../extension/target/pg17/pg17-binaries.jar").normalize();
        assumeTrue(Files.exists(jar), "PG 17 binaries jar not built: " + jar);
        EmbeddedPgServer pg17 = EmbeddedPgServer.startFromBinariesJar(RealPostgres.targetDir().resolve("embedded-pg/pg17-admin-"
                + ProcessHandle.current().pid()), jar);
        try {
            pg17.installExtensionFiles(); // so the refusal is about the version, not about missing files
            try (AdminServer ipc = ipc(dataSource(pg17, "postgres", pg17.superuser(), pg17.password()), "pg17")) {
                JsonNode status = ipc.call(IpcMethods.EXTENSION_STATUS, null);
                assertThat(status.path("server_version").asText()).startsWith("17.");
                assertThat(status.path("supported").asBoolean(true)).isFalse();
                assertThat(status.path("available").asBoolean()).isTrue();

                IpcException e = ipc.error(IpcMethods.EXTENSION_INSTALL, null);
                assertThat(e.errorCode()).isEqualTo(IpcErrorCode.UNSUPPORTED_VERSION);
                assertThat(e.getMessage()).startsWith("steep_repl requires PostgreSQL 18 or later (server is 17.")
                        .contains("pg_upgrade");
                assertThat(installedVersion(pg17, "postgres")).isNull();
            }
        } finally {
            pg17.close();
        }
    }
}
