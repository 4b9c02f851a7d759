package io.steep.repl.extension;

import io.steep.repl.testing.PgServer;
import io.steep.repl.testing.RealPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

import static io.steep.repl.extension.Sql.count;
import static io.steep.repl.extension.Sql.exec;
import static io.steep.repl.extension.Sql.fails;
import static io.steep.repl.extension.Sql.one;
import static io.steep.repl.extension.Sql.rows;
import static org.assertj.core.api.Assertions.assertThat;

/** Audit triggers, the actor rule and the append-only guarantee of audit_log. */
@ExtendWith(RealPostgres.class)
class AuditTest {

    private Connection c;

    @BeforeEach
    void createExtension(PgServer pg) throws Exception {
        c = pg.connect(pg.createDatabase("audit"));
        exec(c, "CREATE EXTENSION steep_repl");
    }

    @AfterEach
    void close() throws Exception {
        c.close();
    }

    private List<Map<String, Object>> audit() throws Exception {
        return rows(c, """
                SELECT action, actor, target_type, target_id, old_value::text AS old_value, new_value::text AS new_value,
                       host(client_ip) AS client_ip, success, error_message
                FROM steep_repl.audit_log ORDER BY id""");
    }

    @Test
    void nodeInsertUpdateDeleteAreAudited() throws Exception {
        exec(c, "INSERT INTO steep_repl.nodes (node_id, node_name, host) VALUES ('node-a', 'A', 'db-a')");
        exec(c, "UPDATE steep_repl.nodes SET status = 'healthy' WHERE node_id = 'node-a'");
        exec(c, "UPDATE steep_repl.nodes SET status = 'healthy' WHERE node_id = 'node-a'"); // no change: no row
        exec(c, "UPDATE steep_repl.nodes SET last_seen = now() WHERE node_id = 'node-a'"); // a heartbeat: no row
        exec(c, "DELETE FROM steep_repl.nodes WHERE node_id = 'node-a'");

        List<Map<String, Object>> rows = audit();
        assertThat(rows).extracting(r -> r.get("action")).containsExactly("node.registered", "node.updated", "node.removed");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.get("target_type")).isEqualTo("node");
            assertThat(r.get("target_id")).isEqualTo("node-a");
            assertThat(r.get("actor")).isEqualTo("postgres@127.0.0.1");
            assertThat(r.get("client_ip")).isEqualTo("127.0.0.1");
            assertThat(r.get("success")).isEqualTo(true);
        });
        assertThat(rows.get(0).get("old_value")).isNull();
        assertThat((String) rows.get(0).get("new_value")).contains("\"status\": \"unknown\"", "\"node_id\": \"node-a\"");
        assertThat((String) rows.get(1).get("old_value")).contains("\"status\": \"unknown\"");
        assertThat((String) rows.get(1).get("new_value")).contains("\"status\": \"healthy\"");
        assertThat((String) rows.get(2).get("old_value")).contains("\"status\": \"healthy\"");
        assertThat(rows.get(2).get("new_value")).isNull();
    }

    @Test
    void coordinatorStateChangesAreAudited() throws Exception {
        exec(c, "INSERT INTO steep_repl.coordinator_state (key, value) VALUES ('cluster.version', '{\"v\": 1}')");
        exec(c, "UPDATE steep_repl.coordinator_state SET value = '{\"v\": 2}'");
        exec(c, "DELETE FROM steep_repl.coordinator_state");
        List<Map<String, Object>> rows = audit();
        assertThat(rows).extracting(r -> r.get("action")).containsOnly("state.updated").hasSize(3);
        assertThat(rows).extracting(r -> r.get("target_type")).containsOnly("state");
        assertThat(rows).extracting(r -> r.get("target_id")).containsOnly("cluster.version");
        assertThat(rows.get(0).get("old_value")).isNull();
        assertThat((String) rows.get(0).get("new_value")).contains("\"value\": {\"v\": 1}");
        assertThat((String) rows.get(1).get("old_value")).contains("\"value\": {\"v\": 1}");
        assertThat((String) rows.get(1).get("new_value")).contains("\"value\": {\"v\": 2}");
        assertThat(rows.get(2).get("new_value")).isNull();
    }

    @Test
    void theDaemonsSessionSettingNamesTheActor() throws Exception {
        exec(c, "SELECT set_config('steep_repl.actor', 'steep_repl@node-b', false)");
        exec(c, "INSERT INTO steep_repl.nodes (node_id, node_name, host) VALUES ('node-b', 'B', 'db-b')");
        assertThat(one(c, "SELECT actor FROM steep_repl.audit_log")).isEqualTo("steep_repl@node-b");
        exec(c, "RESET steep_repl.actor");
        exec(c, "UPDATE steep_repl.nodes SET priority = 60");
        assertThat(one(c, "SELECT actor FROM steep_repl.audit_log WHERE action = 'node.updated'")).isEqualTo("postgres@127.0.0.1");
    }

    @Test
    void auditLogRefusesUpdateDeleteAndTruncate() throws Exception {
        exec(c, "INSERT INTO steep_repl.audit_log (action, actor) VALUES ('daemon.started', 'steep_repl@node-a')");
        fails(c, "UPDATE steep_repl.audit_log SET actor = 'someone-else'", "42501", "append-only: UPDATE is not allowed");
        fails(c, "DELETE FROM steep_repl.audit_log", "42501", "append-only: DELETE is not allowed");
        fails(c, "TRUNCATE steep_repl.audit_log", "42501", "append-only: TRUNCATE is not allowed");
        assertThat(one(c, "SELECT actor FROM steep_repl.audit_log")).isEqualTo("steep_repl@node-a");
    }

    @Test
    void pruneRemovesOnlyRowsOlderThanTheRetention() throws Exception {
        exec(c, """
                INSERT INTO steep_repl.audit_log (occurred_at, action, actor) VALUES
                  (now() - interval '3 years', 'daemon.started', 'x@y'),
                  (now() - interval '25 months', 'daemon.stopped', 'x@y'),
                  (now() - interval '1 day', 'daemon.started', 'x@y'),
                  (now(), 'daemon.started', 'x@y')""");
        assertThat(count(c, "SELECT steep_repl.prune_audit_log(interval '2 years')")).isEqualTo(2);
        assertThat(count(c, "SELECT count(*) FROM steep_repl.audit_log")).isEqualTo(2);
        assertThat(count(c, "SELECT steep_repl.prune_audit_log(interval '2 years')")).isZero();
        // the flag does not outlive the pruning call
        fails(c, "DELETE FROM steep_repl.audit_log", "42501", "append-only");
    }

    @Test
    void pruneRejectsANonPositiveRetention() {
        fails(c, "SELECT steep_repl.prune_audit_log(interval '0')", "22023", "retention must be a positive interval");
        fails(c, "SELECT steep_repl.prune_audit_log(interval '-1 day')", "22023", "retention must be a positive interval");
        fails(c, "SELECT steep_repl.prune_audit_log(NULL)", "22023", "retention must be a positive interval");
    }
}
