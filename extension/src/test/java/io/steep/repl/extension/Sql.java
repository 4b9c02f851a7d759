package io.steep.repl.extension;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Small JDBC helpers so the tests read like the SQL they check. */
final class Sql {

    private Sql() {
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static List<Map<String, Object>> rows(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                List<Map<String, Object>> out = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        Object v = rs.getObject(i);
                        row.put(md.getColumnLabel(i), v instanceof org.postgresql.util.PGobject pg ? pg.getValue() : v);
                    }
                    out.add(row);
                }
                return out;
            }
        }
    }

    static Object one(Connection c, String sql, Object... params) throws SQLException {
        List<Map<String, Object>> r = rows(c, sql, params);
        if (r.size() != 1 || r.getFirst().size() != 1) {
            throw new AssertionError("expected one value from " + sql + ", got " + r);
        }
        return r.getFirst().values().iterator().next();
    }

    static long count(Connection c, String sql, Object... params) throws SQLException {
        return ((Number) one(c, sql, params)).longValue();
    }

    /** Asserts the statement fails with the given SQLSTATE and a message containing {@code text}. */
    static void fails(Connection c, String sql, String sqlState, String text) {
        assertThatThrownBy(() -> exec(c, sql))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(text)
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((SQLException) e).getSQLState()).isEqualTo(sqlState));
    }
}
