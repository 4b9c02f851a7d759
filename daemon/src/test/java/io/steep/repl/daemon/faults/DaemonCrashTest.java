package io.steep.repl.daemon.faults;

import io.steep.repl.daemon.Outage;
import io.steep.repl.daemon.TestConfigs;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.lifecycle.Daemon;
import io.steep.repl.ipc.IpcMethods;
import io.steep.repl.testing.PgServer;
import io.steep.repl.testing.RealPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 11, daemon faults: the daemon is killed with SIGKILL while it records audit events. The next start finds the
 * stale IPC socket and lock file, takes over, replays the spool, and every acknowledged event ends up in audit_log
 * exactly once — whether PostgreSQL was up (delivery racing the kill) or down (everything still in the spool).
 */
@ExtendWith(RealPostgres.class)
@Timeout(180)
class DaemonCrashTest {

    @TempDir
    Path dir;

    /** A child daemon printing "acked N" per durable event; {@link #acked} follows its output. */
    private final class Child implements AutoCloseable {
        final Process process;
        final AtomicInteger acked = new AtomicInteger(-1);
        final Thread reader;

        Child(Path config) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx128m", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), AuditingDaemonMain.class.getName(), config.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve("child.err").toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("PG") || k.startsWith("STEEP_REPL"));
            process = pb.start();
            reader = Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.startsWith("acked ")) {
                            acked.set(Integer.parseInt(line.substring(6)));
                        }
                    }
                } catch (Exception ignored) {
                    // the process was killed
                }
            });
        }

        void awaitAcked(int n) throws Exception {
            FaultDaemons.await(Duration.ofSeconds(60), "child acknowledged " + n + " events (stderr: " + dir.resolve("child.err") + ")",
                    () -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("child exited " + process.exitValue() + ": " + stderr());
                        }
                        return acked.get() >= n;
                    });
        }

        /** SIGKILL, then the last event the child had acknowledged. */
        int kill9() throws Exception {
            process.destroyForcibly(); // SIGKILL on Unix
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(5000);
            assertThat(process.exitValue()).as("killed by signal 9").isEqualTo(137);
            return acked.get();
        }

        String stderr() {
            try {
                return Files.readString(dir.resolve("child.err"));
            } catch (Exception e) {
                return "";
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    @Test
    void killedWhileDeliveringRestartsCleansTheStaleSocketAndDuplicatesNothing(PgServer pg) throws Exception {
        assumeTrue(pg.controllable(), "an external PostgreSQL server cannot be stopped by the test");
        String db = FaultDaemons.database(pg, "crash_up");
        Path file = TestConfigs.write(dir, pg, db, null);
        DaemonConfig config = TestConfigs.load(file, Map.of());
        int lastAcked;
        try (Child child = new Child(file)) {
            child.awaitAcked(50);
            // build a backlog so the kill lands while batches are being delivered
            Outage.stop(pg, PgServer.StopMode.FAST);
            try {
                child.awaitAcked(child.acked.get() + 600);
            } finally {
                Outage.start(pg);
            }
            int rowsBefore = rows(pg, db);
            FaultDaemons.await(Duration.ofSeconds(30), "delivery of the backlog under way", () -> rows(pg, db) > rowsBefore);
            lastAcked = child.kill9();
        }
        assertThat(Path.of(config.ipc().path())).as("the killed daemon left its socket behind").exists();
        int rowsAtKill = rows(pg, db);

        Daemon next = FaultDaemons.start(config);
        try {
            assertThat(next.context().audit().flush(Duration.ofSeconds(30))).as("spool replayed").isTrue();
            assertThat(FaultDaemons.call(config, IpcMethods.STATUS_GET).path("state").asText())
                    .as("the new daemon serves the socket the old one left").isEqualTo("running");
        } finally {
            next.stop();
        }
        assertExactlyOnce(pg, db, lastAcked);
        assertThat(rowsAtKill).as("some events were still only in the spool at the kill, or the test proved nothing")
                .isLessThanOrEqualTo(lastAcked + 1);
    }

    @Test
    void killedWhilePostgresIsDownDeliversTheWholeSpoolOnTheNextStart(PgServer pg) throws Exception {
        assumeTrue(pg.controllable(), "an external PostgreSQL server cannot be stopped by the test");
        String db = FaultDaemons.database(pg, "crash_down");
        Path file = TestConfigs.write(dir, pg, db, null);
        DaemonConfig config = TestConfigs.load(file, Map.of());
        int lastAcked;
        int rowsAtKill;
        try (Child child = new Child(file)) {
            child.awaitAcked(20);
            Outage.stop(pg, PgServer.StopMode.IMMEDIATE);
            try {
                child.awaitAcked(child.acked.get() + 300);
                lastAcked = child.kill9();
            } finally {
                Outage.start(pg);
            }
        }
        rowsAtKill = rows(pg, db);
        assertThat(rowsAtKill).as("events acknowledged during the outage were only in the spool").isLessThan(lastAcked + 1);
        Daemon next = FaultDaemons.start(config);
        try {
            assertThat(next.context().audit().flush(Duration.ofSeconds(30))).as("spool replayed").isTrue();
        } finally {
            next.stop();
        }
        assertExactlyOnce(pg, db, lastAcked);
    }

    private static int rows(PgServer pg, String db) {
        try (Connection c = pg.connect(db); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM steep_repl.audit_log WHERE action = 'test.event'"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (Exception e) {
            return -1;
        }
    }

    /** Every event 0..lastAcked exactly once; the one being written at the kill (lastAcked + 1) at most once. */
    private static void assertExactlyOnce(PgServer pg, String db, int lastAcked) throws Exception {
        try (Connection c = pg.connect(db); PreparedStatement ps = c.prepareStatement("""
                SELECT count(*), count(DISTINCT new_value->>'event_id'), count(DISTINCT (new_value->>'seq')::int),
                       min((new_value->>'seq')::int), max((new_value->>'seq')::int),
                       count(*) FILTER (WHERE (new_value->>'seq')::int <= ?)
                  FROM steep_repl.audit_log WHERE action = 'test.event'""")) {
            ps.setInt(1, lastAcked);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                int total = rs.getInt(1);
                assertThat(rs.getInt(2)).as("no event id twice").isEqualTo(total);
                assertThat(rs.getInt(3)).as("no sequence number twice").isEqualTo(total);
                assertThat(rs.getInt(4)).isZero();
                assertThat(rs.getInt(6)).as("every acknowledged event 0..%d", lastAcked).isEqualTo(lastAcked + 1);
                assertThat(rs.getInt(5)).as("nothing beyond the event in flight at the kill").isLessThanOrEqualTo(lastAcked + 1);
            }
        }
    }
}
