package io.steep.repl.extension;

import io.steep.repl.testing.PgServer;
import io.steep.repl.testing.RealPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import static io.steep.repl.extension.Sql.count;
import static io.steep.repl.extension.Sql.exec;
import static io.steep.repl.extension.Sql.fails;
import static io.steep.repl.extension.Sql.one;
import static org.assertj.core.api.Assertions.assertThat;

/** PUBLIC gets nothing; grant_daemon_access() gives the daemon's role exactly what it needs. */
@ExtendWith(RealPostgres.class)
class PrivilegesTest {

    private static final AtomicInteger ROLES = new AtomicInteger();
    private PgServer pg;
    private String db;
    private Connection admin;

    @BeforeEach
    void createExtension(PgServer pg) throws Exception {
        this.pg = pg;
        db = pg.createDatabase("privs");
        admin = pg.connect(db);
        exec(admin, "CREATE EXTENSION steep_repl");
    }

    @AfterEach
    void close() throws Exception {
        admin.close();
    }

    private String newRole() throws Exception {
        String role = "role_" + ROLES.incrementAndGet() + "_" + db;
        exec(admin, "CREATE ROLE " + role + " LOGIN");
        return role;
    }

    private Connection as(String role) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", role);
        return DriverManager.getConnection(pg.jdbcUrl(db), p);
    }

    @Test
    void publicHasNoAccess() throws Exception {
        String role = newRole();
        try (Connection c = as(role)) {
            fails(c, "SELECT * FROM steep_repl.nodes", "42501", "permission denied for schema steep_repl");
        }
        // even with schema usage, no table or function privilege comes from PUBLIC
        exec(admin, "GRANT USAGE ON SCHEMA steep_repl TO " + role);
        try (Connection c = as(role)) {
            fails(c, "SELECT * FROM steep_repl.nodes", "42501", "permission denied for table nodes");
            fails(c, "SELECT * FROM steep_repl.audit_log", "42501", "permission denied for table audit_log");
            fails(c, "SELECT * FROM steep_repl.coordinator_state", "42501", "permission denied for table coordinator_state");
            fails(c, "SELECT steep_repl.prune_audit_log(interval '1 day')", "42501", "permission denied for function prune_audit_log");
        }
    }

    @Test
    void grantDaemonAccessGivesExactlyWhatTheDaemonNeeds() throws Exception {
        String role = newRole();
        exec(admin, "SELECT steep_repl.grant_daemon_access('" + role + "')");
        try (Connection c = as(role)) {
            exec(c, "SELECT set_config('steep_repl.actor', 'steep_repl@node-a', false)");
            exec(c, "INSERT INTO steep_repl.nodes (node_id, node_name, host) VALUES ('node-a', 'A', 'h')");
            exec(c, "UPDATE steep_repl.nodes SET status = 'healthy'");
            exec(c, "INSERT INTO steep_repl.coordinator_state (key, value) VALUES ('k', '{}')");
            exec(c, "INSERT INTO steep_repl.audit_log (action, actor) VALUES ('daemon.started', 'steep_repl@node-a')");
            assertThat(count(c, "SELECT count(*) FROM steep_repl.audit_log")).isEqualTo(4);
            assertThat(count(c, "SELECT steep_repl.prune_audit_log(interval '1 day')")).isZero();
            // audited changes are attributed to the node, not the role
            assertThat(one(c, "SELECT count(DISTINCT actor) FROM steep_repl.audit_log")).isEqualTo(1L);
            // still append-only for the daemon's role: no privilege, and the guard behind it
            fails(c, "UPDATE steep_repl.audit_log SET actor = 'x'", "42501", "permission denied for table audit_log");
            fails(c, "DELETE FROM steep_repl.audit_log", "42501", "permission denied for table audit_log");
            fails(c, "TRUNCATE steep_repl.audit_log", "42501", "permission denied for table audit_log");
            // setting the pruning flag by hand does not open a back door
            exec(c, "SELECT set_config('steep_repl.pruning', 'on', false)");
            fails(c, "DELETE FROM steep_repl.audit_log", "42501", "permission denied for table audit_log");
        }
    }

    @Test
    void grantDaemonAccessToAnUnknownRoleFailsClearly() {
        fails(admin, "SELECT steep_repl.grant_daemon_access('no_such_role')", "42704", "role \"no_such_role\" does not exist");
    }
}
