package io.steep.repl.daemon.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.ipc.IpcException;
import io.steep.repl.ipc.IpcMethods;
import io.steep.repl.ipc.message.AuditEntry;
import io.steep.repl.ipc.message.AuditQueryParams;
import io.steep.repl.ipc.message.AuditQueryResult;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * {@code audit.query}: newest entries first (occurred_at, then id, descending). {@code total} counts every row
 * matching the filters, {@code has_more} says whether rows remain after this page. Count and page come from one
 * snapshot, so they agree even while the audit writer appends.
 */
public record AuditQueryMethod(DataSource dataSource) implements IpcMethod {

    private static final String WHERE = " WHERE (cardinality(?::text[]) = 0 OR action = ANY (?::text[]))"
            + " AND (?::timestamptz IS NULL OR occurred_at >= ?::timestamptz)";

    @Override
    public String name() {
        return IpcMethods.AUDIT_QUERY;
    }

    @Override
    public Object handle(JsonNode params, CallContext ctx) throws IpcException {
        int limit = Params.optionalInt(params, "limit", AuditQueryParams.DEFAULT_LIMIT, 1, AuditQueryParams.MAX_LIMIT);
        int offset = Params.optionalInt(params, "offset", 0, 0, Integer.MAX_VALUE);
        String[] actions = new LinkedHashSet<>(Params.stringList(params, "action_filter")).toArray(String[]::new);
        Instant since = Params.optionalInstant(params, "since");
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                long total;
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM steep_repl.audit_log" + WHERE)) {
                    bindFilters(c, ps, actions, since);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        total = rs.getLong(1);
                    }
                }
                List<AuditEntry> entries = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT id, occurred_at, action, actor, target_type, target_id,"
                        + " success, error_message FROM steep_repl.audit_log" + WHERE
                        + " ORDER BY occurred_at DESC, id DESC LIMIT ? OFFSET ?")) {
                    bindFilters(c, ps, actions, since);
                    ps.setInt(5, limit);
                    ps.setLong(6, offset);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            entries.add(new AuditEntry(rs.getLong("id"), rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                                    rs.getString("action"), rs.getString("actor"), rs.getString("target_type"),
                                    rs.getString("target_id"), rs.getBoolean("success"), rs.getString("error_message")));
                        }
                    }
                }
                c.commit();
                return new AuditQueryResult(entries, total, (long) offset + entries.size() < total);
            } finally {
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
            }
        } catch (SQLException e) {
            throw SqlFailures.toIpc(e, "querying the audit log");
        }
    }

    private static void bindFilters(Connection c, PreparedStatement ps, String[] actions, Instant since) throws SQLException {
        ps.setArray(1, c.createArrayOf("text", actions));
        ps.setArray(2, c.createArrayOf("text", actions));
        if (since == null) {
            ps.setNull(3, Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setNull(4, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            OffsetDateTime t = since.atOffset(java.time.ZoneOffset.UTC);
            ps.setObject(3, t);
            ps.setObject(4, t);
        }
    }

}
