package io.steep.repl.extension;

import io.steep.repl.testing.PgServer;
import io.steep.repl.testing.RealPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RealPostgres.class)
class SmokeTest {
    @Test
    void creates(PgServer pg) throws Exception {
        String db = pg.createDatabase("smoke");
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION steep_repl");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM steep_repl.nodes")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }
}
