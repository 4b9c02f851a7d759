-- Regression script for steep_repl, run by RegressionScriptTest against a real PostgreSQL 18 (one fresh
-- database per run). Statements end with ";" at the end of a line. A statement preceded by
-- "-- expect-error: SQLSTATE" must fail with that SQLSTATE; every other statement must succeed.
-- "-- expect-value: X" before a single-value query asserts its result.

CREATE EXTENSION steep_repl;

-- nodes: defaults and CHECKs
INSERT INTO steep_repl.nodes (node_id, node_name, host) VALUES ('node-a', 'Node A', 'db-a.example');
-- expect-value: 5432|50|f|unknown
SELECT port || '|' || priority || '|' || (CASE WHEN is_coordinator THEN 't' ELSE 'f' END) || '|' || status FROM steep_repl.nodes;
-- expect-error: 23514
INSERT INTO steep_repl.nodes (node_id, node_name, host, priority) VALUES ('bad', 'x', 'h', 101);
-- expect-error: 23514
INSERT INTO steep_repl.nodes (node_id, node_name, host, port) VALUES ('bad', 'x', 'h', 0);
-- expect-error: 23514
INSERT INTO steep_repl.nodes (node_id, node_name, host) VALUES ('bad', 'x', '');
-- expect-error: 23514
INSERT INTO steep_repl.nodes (node_id, node_name, host, status) VALUES ('bad', 'x', 'h', 'asleep');

-- one coordinator at most
UPDATE steep_repl.nodes SET is_coordinator = true WHERE node_id = 'node-a';
INSERT INTO steep_repl.nodes (node_id, node_name, host) VALUES ('node-b', 'Node B', 'db-b.example');
-- expect-error: 23505
UPDATE steep_repl.nodes SET is_coordinator = true WHERE node_id = 'node-b';

-- audit rows written by triggers
-- expect-value: 3
SELECT count(*) FROM steep_repl.audit_log WHERE target_type = 'node';
SELECT set_config('steep_repl.actor', 'steep_repl@node-a', false);
INSERT INTO steep_repl.coordinator_state (key, value) VALUES ('cluster.version', '{"schema": 1}');
-- expect-value: steep_repl@node-a
SELECT actor FROM steep_repl.audit_log WHERE action = 'state.updated';

-- append-only
-- expect-error: 42501
UPDATE steep_repl.audit_log SET actor = 'nobody';
-- expect-error: 42501
DELETE FROM steep_repl.audit_log;
-- expect-error: 42501
TRUNCATE steep_repl.audit_log;
-- expect-value: 0
SELECT steep_repl.prune_audit_log(interval '1 day');
-- expect-error: 22023
SELECT steep_repl.prune_audit_log(interval '-1 day');

-- drop and re-create
DROP EXTENSION steep_repl;
-- expect-value: 0
SELECT count(*) FROM pg_namespace WHERE nspname = 'steep_repl';
CREATE EXTENSION steep_repl;
-- expect-value: 0
SELECT count(*) FROM steep_repl.nodes;
