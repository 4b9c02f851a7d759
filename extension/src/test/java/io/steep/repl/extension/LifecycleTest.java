package io.steep.repl.extension;

import io.steep.repl.testing.EmbeddedPgServer;
import io.steep.repl.testing.PgServer;
import io.steep.repl.testing.RealPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;

import static io.steep.repl.extension.Sql.count;
import static io.steep.repl.extension.Sql.exec;
import static io.steep.repl.extension.Sql.fails;
import static io.steep.repl.extension.Sql.one;
import static org.assertj.core.api.Assertions.assertThat;

/** Install, drop, re-create — and the refusal on PostgreSQL 17 that leaves nothing behind. */
@ExtendWith(RealPostgres.class)
class LifecycleTest {

    @Test
    void installsOnPg18AndReportsVersion(PgServer pg) throws Exception {
        assertThat(pg.majorVersion()).isEqualTo(18);
        try (Connection c = pg.connect(pg.createDatabase("lifecycle"))) {
            exec(c, "CREATE EXTENSION steep_repl");
            assertThat(one(c, "SELECT extversion FROM pg_extension WHERE extname = 'steep_repl'")).isEqualTo("0.1.0");
            assertThat(one(c, "SELECT default_version FROM pg_available_extensions WHERE name = 'steep_repl'")).isEqualTo("0.1.0");
        }
    }

    @Test
    void dropRemovesEverythingAndRecreateWorks(PgServer pg) throws Exception {
        try (Connection c = pg.connect(pg.createDatabase("drop"))) {
            exec(c, "CREATE EXTENSION steep_repl");
            exec(c, "INSERT INTO steep_repl.nodes (node_id, node_name, host) VALUES ('a', 'A', 'h')");
            exec(c, "DROP EXTENSION steep_repl");
            assertThat(count(c, "SELECT count(*) FROM pg_namespace WHERE nspname = 'steep_repl'")).isZero();
            assertThat(count(c, "SELECT count(*) FROM pg_proc WHERE proname IN ('prune_audit_log', 'grant_daemon_access', 'audit_nodes', 'current_actor')")).isZero();
            exec(c, "CREATE EXTENSION steep_repl");
            assertThat(count(c, "SELECT count(*) FROM steep_repl.nodes")).isZero();
            assertThat(count(c, "SELECT count(*) FROM steep_repl.audit_log")).isZero();
        }
    }

    @Test
    void aForeignSchemaNamedSteepReplIsNeverMixedInto(PgServer pg) throws Exception {
        try (Connection c = pg.connect(pg.createDatabase("clash"))) {
            exec(c, "CREATE SCHEMA steep_repl");
            exec(c, "CREATE TABLE steep_repl.mine (x int)");
            fails(c, "CREATE EXTENSION steep_repl", "42P06", "schema \"steep_repl\" already exists");
            assertThat(count(c, "SELECT count(*) FROM pg_extension WHERE extname = 'steep_repl'")).isZero();
            assertThat(count(c, "SELECT count(*) FROM pg_class WHERE relname = 'nodes'")).isZero();
        }
    }

    @Test
    void objectsAlwaysLandInSteepReplWhateverSchemaIsNamed(PgServer pg) throws Exception {
        try (Connection c = pg.connect(pg.createDatabase("reloc"))) {
            exec(c, "CREATE SCHEMA other");
            exec(c, "CREATE EXTENSION steep_repl SCHEMA other");
            assertThat(count(c, "SELECT count(*) FROM steep_repl.nodes")).isZero();
            assertThat(count(c, "SELECT count(*) FROM pg_class WHERE relnamespace = 'other'::regnamespace")).isZero();
        }
    }

    @Test
    void refusesPostgres17AndLeavesNothingBehind() throws Exception {
        Path jar = Path.of(System.getProperty("steep.pg17.jar", "target/pg17/pg17-binaries.jar"));
        assertThat(jar).as("PG 17 binaries jar copied by the build").exists();
        Path base = RealPostgres.targetDir().resolve("embedded-pg").resolve("pg17-" + ProcessHandle.current().pid());
        EmbeddedPgServer pg17 = EmbeddedPgServer.startFromBinariesJar(base, jar);
        try {
            assertThat(pg17.majorVersion()).isEqualTo(17);
            pg17.installExtensionFiles();
            try (Connection c = pg17.connect(pg17.createDatabase("old"))) {
                String version = (String) one(c, "SELECT current_setting('server_version')");
                fails(c, "CREATE EXTENSION steep_repl", "P0001",
                        "steep_repl requires PostgreSQL 18 or later (server is " + version + ")");
                assertThat(count(c, "SELECT count(*) FROM pg_extension WHERE extname = 'steep_repl'")).isZero();
                assertThat(count(c, "SELECT count(*) FROM pg_namespace WHERE nspname = 'steep_repl'")).isZero();
                assertThat(count(c, "SELECT count(*) FROM pg_class WHERE relname IN ('nodes', 'coordinator_state', 'audit_log')")).isZero();
                assertThat(count(c, "SELECT count(*) FROM pg_proc WHERE proname IN ('prune_audit_log', 'grant_daemon_access', 'audit_nodes', 'current_actor')")).isZero();
            }
        } finally {
            pg17.close();
        }
        assertThat(Files.exists(base)).isTrue();
    }
}
