package io.steep.repl.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fault tests rely on this: a stopped server comes back on the same port with every committed row. */
@ExtendWith(RealPostgres.class)
class HarnessRestartTest {

    @Test
    void immediateStopAndStartKeepsCommittedData(PgServer pg) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(pg.controllable(), "only the embedded server can be stopped by tests");
        String db = pg.createDatabase("restart");
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (x int)");
            s.execute("INSERT INTO t SELECT generate_series(1, 1000)");
        }
        for (PgServer.StopMode mode : PgServer.StopMode.values()) {
            pg.stop(mode);
            assertThatThrownBy(() -> pg.connect(db).close()).isInstanceOf(SQLException.class);
            pg.start();
            try (Connection c = pg.connect(db); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
                rs.next();
                assertThat(rs.getInt(1)).as("rows after %s stop", mode).isEqualTo(1000);
            }
        }
    }
}
