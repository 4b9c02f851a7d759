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

/** Tables, columns, defaults, CHECKs and indexes exactly as upstream's data model. */
@ExtendWith(RealPostgres.class)
class SchemaTest {

    private Connection c;

    @BeforeEach
    void createExtension(PgServer pg) throws Exception {
        c = pg.connect(pg.createDatabase("schema"));
        exec(c, "CREATE EXTENSION steep_repl");
    }

    @AfterEach
    void close() throws Exception {
        c.close();
    }

    private List<Map<String, Object>> columns(String table) throws Exception {
        return rows(c, """
                SELECT column_name, data_type, is_nullable, column_default
                FROM information_schema.columns
                WHERE table_schema = 'steep_repl' AND table_name = ?
                ORDER BY ordinal_position""", table);
    }

    private static Map<String, Object> col(String name, String type, String nullable, String dflt) {
        java.util.LinkedHashMap<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("column_name", name);
        m.put("data_type", type);
        m.put("is_nullable", nullable);
        m.put("column_default", dflt);
        return m;
    }

    @Test
    void nodesColumnsMatchUpstream() throws Exception {
        assertThat(columns("nodes")).containsExactly(
                col("node_id", "text", "NO", null),
                col("node_name", "text", "NO", null),
                col("host", "text", "NO", null),
                col("port", "integer", "NO", "5432"),
                col("priority", "integer", "NO", "50"),
                col("is_coordinator", "boolean", "NO", "false"),
                col("last_seen", "timestamp with time zone", "YES", null),
                col("status", "text", "NO", "'unknown'::text"));
        assertThat(one(c, """
                SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
                WHERE i.indrelid = 'steep_repl.nodes'::regclass AND i.indisprimary""")).isEqualTo("node_id");
    }

    @Test
    void coordinatorStateColumnsMatchUpstream() throws Exception {
        assertThat(columns("coordinator_state")).containsExactly(
                col("key", "text", "NO", null),
                col("value", "jsonb", "NO", null),
                col("updated_at", "timestamp with time zone", "NO", "now()"));
    }

    @Test
    void auditLogColumnsMatchUpstream() throws Exception {
        assertThat(columns("audit_log")).containsExactly(
                col("id", "bigint", "NO", "nextval('steep_repl.audit_log_id_seq'::regclass)"),
                col("occurred_at", "timestamp with time zone", "NO", "now()"),
                col("action", "text", "NO", null),
                col("actor", "text", "NO", null),
                col("target_type", "text", "YES", null),
                col("target_id", "text", "YES", null),
                col("old_value", "jsonb", "YES", null),
                col("new_value", "jsonb", "YES", null),
                col("client_ip", "inet", "YES", null),
                col("success", "boolean", "NO", "true"),
                col("error_message", "text", "YES", null));
    }

    @Test
    void indexesMatchUpstream() throws Exception {
        List<Map<String, Object>> idx = rows(c, """
                SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'steep_repl' ORDER BY indexname""");
        Map<String, String> defs = new java.util.HashMap<>();
        idx.forEach(r -> defs.put((String) r.get("indexname"), (String) r.get("indexdef")));
        assertThat(defs).containsKeys("idx_nodes_status", "idx_nodes_coordinator", "idx_audit_log_occurred_at",
                "idx_audit_log_actor", "idx_audit_log_action", "idx_audit_log_target",
                "nodes_pkey", "coordinator_state_pkey", "audit_log_pkey");
        assertThat(defs.get("idx_nodes_status")).endsWith("USING btree (status)");
        assertThat(defs.get("idx_nodes_coordinator")).contains("UNIQUE").endsWith("(is_coordinator) WHERE (is_coordinator = true)");
        assertThat(defs.get("idx_audit_log_occurred_at")).endsWith("(occurred_at DESC)");
        assertThat(defs.get("idx_audit_log_actor")).endsWith("(actor)");
        assertThat(defs.get("idx_audit_log_action")).endsWith("(action)");
        assertThat(defs.get("idx_audit_log_target")).endsWith("(target_type, target_id) WHERE (target_type IS NOT NULL)");
    }

    @Test
    void defaultsApplyOnInsert() throws Exception {
        exec(c, "INSERT INTO steep_repl.nodes (node_id, node_name, host) VALUES ('a', 'A', 'db-a')");
        Map<String, Object> r = rows(c, "SELECT port, priority, is_coordinator, last_seen, status FROM steep_repl.nodes").getFirst();
        assertThat(r).containsEntry("port", 5432).containsEntry("priority", 50).containsEntry("is_coordinator", false)
                .containsEntry("last_seen", null).containsEntry("status", "unknown");
    }

    @Test
    void priorityMustBeWithin1And100() throws Exception {
        fails(c, "INSERT INTO steep_repl.nodes (node_id, node_name, host, priority) VALUES ('p0', 'n', 'h', 0)", "23514", "nodes_priority_check");
        fails(c, "INSERT INTO steep_repl.nodes (node_id, node_name, host, priority) VALUES ('p101', 'n', 'h', 101)", "23514", "nodes_priority_check");
        exec(c, "INSERT INTO steep_repl.nodes (node_id, node_name, host, priority) VALUES ('p1', 'n', 'h', 1), ('p100', 'n', 'h', 100)");
        assertThat(count(c, "SELECT count(*) FROM steep_repl.nodes")).isEqualTo(2);
    }

    @Test
    void portMustBeWithin1And65535() throws Exception {
        fails(c, "INSERT INTO steep_repl.nodes (node_id, node_name, host, port) VALUES ('x', 'n', 'h', 0)", "23514", "nodes_port_check");
        fails(c, "INSERT INTO steep_repl.nodes (node_id, node_name, host, port) VALUES ('x', 'n', 'h', 65536)", "23514", "nodes_port_check");
        exec(c, "INSERT INTO steep_repl.nodes (node_id, node_name, host, port) VALUES ('lo', 'n', 'h', 1), ('hi', 'n', 'h', 65535)");
    }

    @Test
    void hostMustNotBeEmpty() {
        fails(c, "INSERT INTO steep_repl.nodes (node_id, node_name, host) VALUES ('x', 'n', '')", "23514", "nodes_host_check");
        fails(c, "INSERT INTO steep_repl.nodes (node_id, node_name, host) VALUES ('x', 'n', NULL)", "23502", "host");
    }

    @Test
    void statusMustBeAKnownValue() throws Exception {
        fails(c, "INSERT INTO steep_repl.nodes (node_id, node_name, host, status) VALUES ('x', 'n', 'h', 'sleeping')", "23514", "nodes_status_check");
        for (String s : List.of("unknown", "healthy", "degraded", "unreachable", "offline")) {
            exec(c, "INSERT INTO steep_repl.nodes (node_id, node_name, host, status) VALUES ('n-" + s + "', 'n', 'h', '" + s + "')");
        }
        assertThat(count(c, "SELECT count(*) FROM steep_repl.nodes")).isEqualTo(5);
    }

    @Test
    void atMostOneCoordinatorIsEnforcedByTheDatabase() throws Exception {
        exec(c, "INSERT INTO steep_repl.nodes (node_id, node_name, host, is_coordinator) VALUES ('a', 'A', 'h', true), ('b', 'B', 'h', false)");
        fails(c, "UPDATE steep_repl.nodes SET is_coordinator = true WHERE node_id = 'b'", "23505", "idx_nodes_coordinator");
        // moving the role inside one transaction works
        c.setAutoCommit(false);
        exec(c, "UPDATE steep_repl.nodes SET is_coordinator = false WHERE is_coordinator AND node_id <> 'b'");
        exec(c, "UPDATE steep_repl.nodes SET is_coordinator = true WHERE node_id = 'b'");
        c.commit();
        c.setAutoCommit(true);
        assertThat(one(c, "SELECT node_id FROM steep_repl.nodes WHERE is_coordinator")).isEqualTo("b");
    }

    @Test
    void coordinatorStateValueIsRequiredJsonAndUpdatedAtIsMaintained() throws Exception {
        fails(c, "INSERT INTO steep_repl.coordinator_state (key, value) VALUES ('k', NULL)", "23502", "value");
        fails(c, "INSERT INTO steep_repl.coordinator_state (key, value) VALUES ('k', 'not json')", "22P02", "json");
        exec(c, "INSERT INTO steep_repl.coordinator_state (key, value, updated_at) VALUES ('cluster.version', '{\"v\":1}', '2000-01-01')");
        assertThat(count(c, "SELECT count(*) FROM steep_repl.coordinator_state WHERE updated_at > now() - interval '1 minute'")).isEqualTo(1);
        exec(c, "UPDATE steep_repl.coordinator_state SET value = '{\"v\":2}', updated_at = '2000-01-01' WHERE key = 'cluster.version'");
        assertThat(count(c, "SELECT count(*) FROM steep_repl.coordinator_state WHERE updated_at > now() - interval '1 minute'")).isEqualTo(1);
    }

    @Test
    void tablesAreRegisteredForPgDump() throws Exception {
        assertThat(rows(c, """
                SELECT c.relname FROM pg_extension e, unnest(e.extconfig) AS cfg(oid) JOIN pg_class c ON c.oid = cfg.oid
                WHERE e.extname = 'steep_repl' ORDER BY 1""").stream().map(r -> r.get("relname")))
                .containsExactly("audit_log", "audit_log_id_seq", "coordinator_state", "nodes");
    }
}
