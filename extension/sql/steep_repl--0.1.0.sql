-- steep_repl 0.1.0 — the schema steep-repl daemons coordinate through.
-- Tables follow upstream steep's data model (specs/014-repl-foundation/data-model.md) column for column.

\echo Use "CREATE EXTENSION steep_repl" to load this file. \quit

-- Refuse old servers first: CREATE EXTENSION runs in one transaction, so this error leaves nothing behind.
DO $steep_repl$
BEGIN
    IF current_setting('server_version_num')::integer < 180000 THEN
        RAISE EXCEPTION 'steep_repl requires PostgreSQL 18 or later (server is %)',
            current_setting('server_version')
            USING HINT = 'Upgrade the server to PostgreSQL 18, or install steep-repl on a PostgreSQL 18 instance.';
    END IF;
END
$steep_repl$;

-- Created here, not through the control file's `schema`, so that it is a member of the extension and
-- DROP EXTENSION removes it. A leftover schema of that name makes this fail instead of mixing objects.
CREATE SCHEMA steep_repl;
REVOKE ALL ON SCHEMA steep_repl FROM PUBLIC;

---------------------------------------------------------------------------------------------------
-- nodes
---------------------------------------------------------------------------------------------------
CREATE TABLE steep_repl.nodes (
    node_id        TEXT PRIMARY KEY,
    node_name      TEXT NOT NULL,
    host           TEXT NOT NULL,
    port           INTEGER NOT NULL DEFAULT 5432,
    priority       INTEGER NOT NULL DEFAULT 50
        CONSTRAINT nodes_priority_check CHECK (priority >= 1 AND priority <= 100),
    is_coordinator BOOLEAN NOT NULL DEFAULT false,
    last_seen      TIMESTAMPTZ,
    status         TEXT NOT NULL DEFAULT 'unknown'
        CONSTRAINT nodes_status_check
        CHECK (status IN ('unknown', 'healthy', 'degraded', 'unreachable', 'offline')),
    CONSTRAINT nodes_port_check CHECK (port >= 1 AND port <= 65535),
    CONSTRAINT nodes_host_check CHECK (host <> '')
);

CREATE INDEX idx_nodes_status ON steep_repl.nodes (status);
-- Upstream's partial index, made UNIQUE: the database itself guarantees at most one coordinator.
-- Moving the role is two statements in one transaction (clear the old row, then set the new one).
CREATE UNIQUE INDEX idx_nodes_coordinator ON steep_repl.nodes (is_coordinator)
    WHERE is_coordinator = true;

---------------------------------------------------------------------------------------------------
-- coordinator_state
---------------------------------------------------------------------------------------------------
CREATE TABLE steep_repl.coordinator_state (
    key        TEXT PRIMARY KEY,
    value      JSONB NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

---------------------------------------------------------------------------------------------------
-- audit_log (append-only)
---------------------------------------------------------------------------------------------------
CREATE TABLE steep_repl.audit_log (
    id            BIGSERIAL PRIMARY KEY,
    occurred_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    action        TEXT NOT NULL,
    actor         TEXT NOT NULL,
    target_type   TEXT,
    target_id     TEXT,
    old_value     JSONB,
    new_value     JSONB,
    client_ip     INET,
    success       BOOLEAN NOT NULL DEFAULT true,
    error_message TEXT
);

CREATE INDEX idx_audit_log_occurred_at ON steep_repl.audit_log (occurred_at DESC);
CREATE INDEX idx_audit_log_actor ON steep_repl.audit_log (actor);
CREATE INDEX idx_audit_log_action ON steep_repl.audit_log (action);
CREATE INDEX idx_audit_log_target ON steep_repl.audit_log (target_type, target_id)
    WHERE target_type IS NOT NULL;

---------------------------------------------------------------------------------------------------
-- Who is acting: the daemon sets steep_repl.actor (e.g. 'steep_repl@node-a') on its sessions so its
-- rows name the node, not the pool role; anybody else is recorded as role@client-address.
---------------------------------------------------------------------------------------------------
CREATE FUNCTION steep_repl.current_actor() RETURNS text
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(
        nullif(current_setting('steep_repl.actor', true), ''),
        session_user::text || '@' || coalesce(host(inet_client_addr()), 'local'))
$$;

---------------------------------------------------------------------------------------------------
-- Audit triggers. SECURITY DEFINER so a role that may change nodes still gets its change audited
-- without holding INSERT on audit_log itself.
---------------------------------------------------------------------------------------------------
CREATE FUNCTION steep_repl.audit_nodes() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO steep_repl.audit_log (action, actor, target_type, target_id, new_value, client_ip)
        VALUES ('node.registered', steep_repl.current_actor(), 'node', NEW.node_id, to_jsonb(NEW), inet_client_addr());
        RETURN NEW;
    ELSIF TG_OP = 'UPDATE' THEN
        -- A no-op UPDATE is not an event, nor is a heartbeat that only moves last_seen: auditing those would
        -- write a row per peer per second. Status changes, re-registrations and elections are audited.
        IF (to_jsonb(OLD) - 'last_seen') IS DISTINCT FROM (to_jsonb(NEW) - 'last_seen') THEN
            INSERT INTO steep_repl.audit_log (action, actor, target_type, target_id, old_value, new_value, client_ip)
            VALUES ('node.updated', steep_repl.current_actor(), 'node', NEW.node_id, to_jsonb(OLD), to_jsonb(NEW),
                    inet_client_addr());
        END IF;
        RETURN NEW;
    ELSE
        INSERT INTO steep_repl.audit_log (action, actor, target_type, target_id, old_value, client_ip)
        VALUES ('node.removed', steep_repl.current_actor(), 'node', OLD.node_id, to_jsonb(OLD), inet_client_addr());
        RETURN OLD;
    END IF;
END
$$;

CREATE TRIGGER nodes_audit
    AFTER INSERT OR UPDATE OR DELETE ON steep_repl.nodes
    FOR EACH ROW EXECUTE FUNCTION steep_repl.audit_nodes();

CREATE FUNCTION steep_repl.touch_coordinator_state() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER coordinator_state_touch
    BEFORE INSERT OR UPDATE ON steep_repl.coordinator_state
    FOR EACH ROW EXECUTE FUNCTION steep_repl.touch_coordinator_state();

CREATE FUNCTION steep_repl.audit_coordinator_state() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO steep_repl.audit_log (action, actor, target_type, target_id, old_value, new_value, client_ip)
    VALUES ('state.updated', steep_repl.current_actor(), 'state',
            CASE WHEN TG_OP = 'DELETE' THEN OLD.key ELSE NEW.key END,
            CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) END,
            CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) END,
            inet_client_addr());
    RETURN NULL;
END
$$;

CREATE TRIGGER coordinator_state_audit
    AFTER INSERT OR UPDATE OR DELETE ON steep_repl.coordinator_state
    FOR EACH ROW EXECUTE FUNCTION steep_repl.audit_coordinator_state();

---------------------------------------------------------------------------------------------------
-- Append-only audit_log. UPDATE/DELETE/TRUNCATE are refused for every role; the only way rows
-- leave is prune_audit_log(), which raises a transaction-local flag the guard honours for DELETE.
-- (A superuser or the table owner can still drop the trigger: privileges, not this guard, keep
-- other roles out — grant_daemon_access() gives no UPDATE/DELETE on audit_log.)
---------------------------------------------------------------------------------------------------
CREATE FUNCTION steep_repl.audit_log_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('steep_repl.pruning', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'steep_repl.audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Old rows are removed only by steep_repl.prune_audit_log(retention interval).';
END
$$;

CREATE TRIGGER audit_log_no_update_delete
    BEFORE UPDATE OR DELETE ON steep_repl.audit_log
    FOR EACH ROW EXECUTE FUNCTION steep_repl.audit_log_guard();

CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON steep_repl.audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION steep_repl.audit_log_guard();

CREATE FUNCTION steep_repl.prune_audit_log(retention interval) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    removed bigint;
BEGIN
    IF retention IS NULL OR retention <= interval '0' THEN
        RAISE EXCEPTION 'retention must be a positive interval (got %)', retention
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM set_config('steep_repl.pruning', 'on', true);
    DELETE FROM steep_repl.audit_log WHERE occurred_at < now() - retention;
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('steep_repl.pruning', 'off', true);
    RETURN removed;
END
$$;

---------------------------------------------------------------------------------------------------
-- Privileges: PUBLIC gets nothing; grant_daemon_access(role) gives the daemon's role exactly what it
-- needs (read/write nodes and coordinator_state, append to audit_log, prune it).
---------------------------------------------------------------------------------------------------
CREATE FUNCTION steep_repl.grant_daemon_access(daemon_role name) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = daemon_role) THEN
        RAISE EXCEPTION 'role "%" does not exist', daemon_role
            USING ERRCODE = 'undefined_object', HINT = 'CREATE ROLE it first (LOGIN, with a password or peer auth).';
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA steep_repl TO %I', daemon_role);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON steep_repl.nodes, steep_repl.coordinator_state TO %I', daemon_role);
    EXECUTE format('GRANT SELECT, INSERT ON steep_repl.audit_log TO %I', daemon_role);
    EXECUTE format('GRANT USAGE ON SEQUENCE steep_repl.audit_log_id_seq TO %I', daemon_role);
    EXECUTE format('GRANT EXECUTE ON FUNCTION steep_repl.prune_audit_log(interval), steep_repl.current_actor() TO %I', daemon_role);
END
$$;

REVOKE ALL ON ALL TABLES IN SCHEMA steep_repl FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA steep_repl FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA steep_repl FROM PUBLIC;

---------------------------------------------------------------------------------------------------
-- pg_dump keeps the rows of extension tables only when they are registered.
---------------------------------------------------------------------------------------------------
SELECT pg_catalog.pg_extension_config_dump('steep_repl.nodes', '');
SELECT pg_catalog.pg_extension_config_dump('steep_repl.coordinator_state', '');
SELECT pg_catalog.pg_extension_config_dump('steep_repl.audit_log', '');
SELECT pg_catalog.pg_extension_config_dump('steep_repl.audit_log_id_seq', '');
