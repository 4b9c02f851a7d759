package io.steep.repl.extension;

import io.steep.repl.testing.PgServer;
import io.steep.repl.testing.RealPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Runs extension/test/*.sql (a DBA-readable regression script) statement by statement. */
@ExtendWith(RealPostgres.class)
class RegressionScriptTest {

    record Step(int line, String sql, String expectError, String expectValue) {
    }

    static List<Step> parse(List<String> lines) {
        List<Step> steps = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        String error = null;
        String value = null;
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String t = line.strip();
            if (sql.isEmpty() && t.startsWith("-- expect-error:")) {
                error = t.substring("-- expect-error:".length()).strip();
            } else if (sql.isEmpty() && t.startsWith("-- expect-value:")) {
                value = t.substring("-- expect-value:".length()).strip();
            } else if (t.startsWith("--") || (t.isEmpty() && sql.isEmpty())) {
                continue;
            } else {
                if (sql.isEmpty()) {
                    start = i + 1;
                }
                sql.append(line).append('\n');
                if (t.endsWith(";")) {
                    steps.add(new Step(start, sql.toString().strip(), error, value));
                    sql.setLength(0);
                    error = null;
                    value = null;
                }
            }
        }
        if (!sql.isEmpty()) {
            throw new IllegalArgumentException("statement starting at line " + start + " does not end with ';'");
        }
        return steps;
    }

    @Test
    void scriptPasses(PgServer pg) throws Exception {
        Path script = Path.of(System.getProperty("basedir", "."), "test", "steep_repl.sql");
        List<Step> steps = parse(Files.readAllLines(script));
        assertThat(steps).hasSizeGreaterThan(20);
        try (Connection c = pg.connect(pg.createDatabase("regress"))) {
            for (Step s : steps) {
                String where = script.getFileName() + ":" + s.line() + ": " + s.sql();
                try {
                    if (s.expectValue() != null) {
                        assertThat(String.valueOf(Sql.one(c, s.sql().replaceFirst(";$", "")))).as(where).isEqualTo(s.expectValue());
                    } else {
                        Sql.exec(c, s.sql());
                    }
                    if (s.expectError() != null) {
                        fail(where + " succeeded but should fail with SQLSTATE " + s.expectError());
                    }
                } catch (SQLException e) {
                    if (s.expectError() == null) {
                        fail(where + " failed: " + e.getMessage());
                    }
                    assertThat(e.getSQLState()).as(where + " (" + e.getMessage() + ")").isEqualTo(s.expectError());
                }
            }
        }
    }
}
