package io.steep.repl.daemon.db;

import io.steep.repl.daemon.TestConfigs;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.testing.PgServer;
import io.steep.repl.testing.RealPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RealPostgres.class)
class DatabaseTest {

    static final Backoff FAST = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));

    @TempDir
    Path dir;

    static String withExtension(PgServer pg, String prefix) throws Exception {
        String db = pg.createDatabase(prefix);
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION steep_repl");
        }
        return db;
    }

    static PgStatus await(Database d, PgStatus.State state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (d.status().state() != state && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(d.status().state()).as("state (error: %s)", d.status().error()).isEqualTo(state);
        return d.status();
    }

    @Test
    void readyWithVersionExtensionAndSessionIdentity(PgServer pg) throws Exception {
        String db = withExtension(pg, "db_ready");
        Database d = new Database(TestConfigs.config(dir, pg, db), null, FAST);
        d.start();
        try {
            PgStatus s = await(d, PgStatus.State.READY);
            assertThat(s.serverVersion()).hasValueSatisfying(v -> assertThat(v).startsWith("18."));
            assertThat(s.serverVersionNum()).isGreaterThanOrEqualTo(180000);
            assertThat(s.extensionVersion()).contains("0.1.0");
            assertThat(s.latencyMillis()).isGreaterThanOrEqualTo(0);
            assertThat(s.error()).isEmpty();
            try (Connection c = d.dataSource().getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT current_setting('application_name'), current_setting('steep_repl.actor'), steep_repl.current_actor()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("steep-repl");
                assertThat(rs.getString(2)).isEqualTo(pg.superuser() + "@test-node");
                assertThat(rs.getString(3)).isEqualTo(pg.superuser() + "@test-node");
            }
        } finally {
            d.stop();
        }
    }

    @Test
    void missingExtensionIsReportedWithTheFix(PgServer pg) throws Exception {
        String db = pg.createDatabase("db_noext");
        Database d = new Database(TestConfigs.config(dir, pg, db), null, FAST);
        d.start();
        try {
            PgStatus s = await(d, PgStatus.State.EXTENSION_MISSING);
            assertThat(s.error()).hasValueSatisfying(e -> assertThat(e)
                    .contains("extension steep_repl is not installed in database \"" + db + "\"")
                    .contains("CREATE EXTENSION steep_repl"));
            try (Connection c = pg.connect(db); Statement st = c.createStatement()) {
                st.execute("CREATE EXTENSION steep_repl");
            }
            await(d, PgStatus.State.READY); // noticed without a restart
        } finally {
            d.stop();
        }
    }

    /** A Database whose server address is a free port: every connection attempt is refused. */
    Database onAPortNobodyListensOn(PgServer pg) throws Exception {
        Path f = TestConfigs.write(dir, pg, "postgres", null);
        DaemonConfig c = TestConfigs.load(f, Map.of("PGPORT", Integer.toString(TestConfigs.freePort())));
        return new Database(c, null, FAST);
    }

    @Test
    void unreachableServerDoesNotBlockStartAndIsExplained(PgServer pg) throws Exception {
        Database d = onAPortNobodyListensOn(pg);
        long t0 = System.nanoTime();
        d.start();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        try {
            PgStatus s = await(d, PgStatus.State.DISCONNECTED);
            assertThat(s.error()).hasValueSatisfying(e -> assertThat(e).containsIgnoringCase("refused").contains("retrying in"));
        } finally {
            d.stop();
        }
    }

    @Test
    void aServerThatIsGoneIsReportedWithoutWaitingOutThePoolsTimeout(PgServer pg) throws Exception {
        Database d = onAPortNobodyListensOn(pg);
        d.start();
        try {
            // With no working connection Hikari would answer only after its connection timeout, with "request timed
            // out after 3000ms"; the probe's own look at the port answers first, and says what is wrong.
            PgStatus down = await(d, PgStatus.State.DISCONNECTED);
            assertThat(down.error()).hasValueSatisfying(e -> assertThat(e)
                    .contains("nothing is listening on 127.0.0.1:").contains("is PostgreSQL running?")
                    .doesNotContain("timed out"));
        } finally {
            d.stop();
        }
    }

    @Test
    void theMonitorCanWakeHikarisConnectionAdderWhileTheServerIsDown(PgServer pg) throws Exception {
        Database d = onAPortNobodyListensOn(pg);
        d.start();
        try {
            await(d, PgStatus.State.DISCONNECTED);
            // The pool keeps one creator retrying (minimum idle 1) in Hikari's own backoff; the monitor finds its
            // thread by name to end that sleep when the port reopens. Zero here means Hikari renamed the thread
            // and recovery after an outage would wait out the backoff again (up to 5 s).
            assertThat(Database.wakeConnectionAdders(Database.POOL_NAME)).isPositive();
            assertThat(d.status().state()).isEqualTo(PgStatus.State.DISCONNECTED);
        } finally {
            d.stop();
        }
    }

    @Test
    void stoppingWhileTheServerIsDownEndsTheProbeWithoutReportingTheStopAsAnOutage(PgServer pg) throws Exception {
        Database d = onAPortNobodyListensOn(pg);
        d.start();
        PgStatus down = await(d, PgStatus.State.DISCONNECTED);
        // Most of the time the monitor is inside a probe, waiting up to the pool's connection timeout (3 s) for a
        // connection that cannot come; stop interrupts that wait, and the interrupt is not news about the server.
        d.stop();
        assertThat(d.status().error()).hasValueSatisfying(e -> assertThat(e).doesNotContainIgnoringCase("interrupted"));
        assertThat(down.error()).isPresent();
    }

    @Test
    void reconnectsAfterThePostgresServerIsStoppedAndStarted(PgServer pg) throws Exception {
        String db = withExtension(pg, "db_reconnect");
        Database d = new Database(TestConfigs.config(dir, pg, db), null, FAST);
        d.start();
        try {
            await(d, PgStatus.State.READY);
            io.steep.repl.daemon.Outage.stop(pg, PgServer.StopMode.FAST);
            try {
                PgStatus down = await(d, PgStatus.State.DISCONNECTED);
                assertThat(down.serverVersion()).isPresent(); // last known version kept for the operator
            } finally {
                pg.start();
            }
            await(d, PgStatus.State.READY);
            try (Connection c = d.dataSource().getConnection(); Statement st = c.createStatement()) {
                assertThat(st.execute("SELECT 1")).isTrue();
            }
        } finally {
            d.stop();
        }
    }

    @Test
    void anyCharacterInThePasswordWorksAndBadCredentialsAreRetried(PgServer pg) throws Exception {
        String db = withExtension(pg, "db_pw");
        String role = "steep_pw_" + ProcessHandle.current().pid();
        String good = "p@ss:w/rd?x=1&y=' \"\\ ;%ü";
        PasswordAuth.requireScramFor(pg, role);
        try (Connection c = pg.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'wrong-at-first'");
        }
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("GRANT ALL ON SCHEMA steep_repl TO " + role);
        }
        // password_command hands out the good password; the role still has the old one: refused, then fixed by a "DBA"
        Path helper = dir.resolve("pw.txt");
        Files.writeString(helper, good + "\n");
        Path f = TestConfigs.write(dir, pg, db, "");
        String yaml = Files.readString(f).replace("user: " + pg.superuser(), "user: " + role
                + "\n    password_command: [cat, \"" + helper + "\"]");
        Files.writeString(f, yaml);
        Database d = new Database(TestConfigs.load(f, Map.of()), null, FAST);
        d.start();
        try {
            PgStatus refused = await(d, PgStatus.State.DISCONNECTED);
            assertThat(refused.error()).hasValueSatisfying(e -> assertThat(e)
                    .contains("refused the credentials of user \"" + role + "\"").doesNotContain(good));
            try (Connection c = pg.connect("postgres"); java.sql.PreparedStatement ps = c.prepareStatement(
                    "SELECT format('ALTER ROLE %I PASSWORD %L', ?::text, ?::text)")) {
                ps.setString(1, role);
                ps.setString(2, good);
                try (ResultSet rs = ps.executeQuery(); Statement s = c.createStatement()) {
                    rs.next();
                    s.execute(rs.getString(1));
                }
            }
            await(d, PgStatus.State.READY); // retried forever: the fixed password is picked up without a restart
        } finally {
            d.stop();
        }
    }
}
