package io.steep.repl.daemon.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.steep.repl.daemon.Outage;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.lifecycle.Daemon;
import io.steep.repl.daemon.lifecycle.DaemonContext;
import io.steep.repl.ipc.IpcMethods;
import io.steep.repl.testing.PgServer;
import io.steep.repl.testing.RealPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 11, PostgreSQL faults: while the daemon records audit events and heartbeats, PostgreSQL is stopped (fast and
 * immediate, alternately) and started again 20 times. Afterwards every event is in audit_log exactly once, the
 * daemon is healthy, and no thread or connection has leaked.
 */
@ExtendWith(RealPostgres.class)
@Timeout(180)
class PostgresFlapTest {

    private static final int RESTARTS = 20;

    @TempDir
    Path dir;

    @Test
    void twentyRestartsLoseNothingDuplicateNothingAndLeakNothing(PgServer pg) throws Exception {
        assumeTrue(pg.controllable(), "an external PostgreSQL server cannot be stopped by the test");
        String db = FaultDaemons.database(pg, "flap");
        DaemonConfig config = FaultDaemons.config(dir, pg, db, FaultDaemons.grpcSection(dir, "test-node"), Map.of());
        Daemon daemon = FaultDaemons.start(config);
        DaemonContext ctx = daemon.context();
        AtomicInteger produced = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        try {
            // let the first heartbeat rounds register the node and every pool/server thread exist before the baseline
            FaultDaemons.await(Duration.ofSeconds(20), "node registered by its heartbeat", () -> lastSeen(pg, db) != null);
            Thread.sleep(1000);
            Map<String, Integer> threadsBefore = threadsByName();
            int baseline = ManagementFactory.getThreadMXBean().getThreadCount();

            Thread producer = Thread.ofPlatform().name("flap-producer").start(() -> {
                while (!stop.get()) {
                    int seq = produced.get();
                    ctx.audit("test.event", "test", "flap", Map.of("seq", seq));
                    produced.incrementAndGet();
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            int[] spooledDuringOutage = new int[RESTARTS];
            try {
                for (int i = 0; i < RESTARTS; i++) {
                    Outage.stop(pg, i % 2 == 0 ? PgServer.StopMode.FAST : PgServer.StopMode.IMMEDIATE);
                    Thread.sleep(150); // events pile up in the spool
                    spooledDuringOutage[i] = ctx.audit().depth();
                    Outage.start(pg);
                    assertThat(ctx.database().awaitReady(Duration.ofSeconds(30))).as("ready again after restart %d", i + 1).isTrue();
                    Thread.sleep(100); // some delivery, then pull the plug again, often mid-batch
                }
            } finally {
                stop.set(true);
                producer.join(10_000);
                Outage.start(pg); // the server is shared with the rest of the suite
            }
            assertThat(Arrays.stream(spooledDuringOutage).max().orElse(0)).as("events were spooled while PostgreSQL was down")
                    .isPositive();
            assertThat(ctx.audit().flush(Duration.ofSeconds(30))).as("spool drained").isTrue();

            int n = produced.get();
            assertThat(n).isGreaterThan(RESTARTS);
            try (Connection c = pg.connect(db); PreparedStatement ps = c.prepareStatement("""
                    SELECT count(*), count(DISTINCT new_value->>'event_id'), count(DISTINCT (new_value->>'seq')::int),
                           min((new_value->>'seq')::int), max((new_value->>'seq')::int)
                      FROM steep_repl.audit_log WHERE action = 'test.event'""");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("rows").isEqualTo(n);
                assertThat(rs.getInt(2)).as("distinct event ids").isEqualTo(n);
                assertThat(rs.getInt(3)).as("distinct sequence numbers").isEqualTo(n);
                assertThat(rs.getInt(4)).isZero();
                assertThat(rs.getInt(5)).isEqualTo(n - 1);
            }

            // healthy again: PostgreSQL ready, IPC answers, heartbeats move last_seen again
            FaultDaemons.await(Duration.ofSeconds(20), "health healthy", () -> ctx.health().healthy());
            JsonNode status = FaultDaemons.call(config, IpcMethods.STATUS_GET);
            assertThat(status.at("/postgresql/connected").asBoolean()).isTrue();
            JsonNode health = FaultDaemons.call(config, IpcMethods.HEALTH_CHECK);
            assertThat(health.path("status").asText()).as(health.toString()).isEqualTo("healthy");
            Timestamp seen = lastSeen(pg, db);
            FaultDaemons.await(Duration.ofSeconds(10), "heartbeat after the last restart", () -> {
                Timestamp now = lastSeen(pg, db);
                return now != null && now.after(seen);
            });

            // no leak: the pool holds at most its size, and the threads are back to where they were
            HikariDataSource pool = (HikariDataSource) ctx.database().dataSource();
            int poolSize = config.postgresql().poolSize();
            assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isLessThanOrEqualTo(poolSize);
            assertThat(serverSessions(pg, db)).as("sessions of application steep-repl").isLessThanOrEqualTo(poolSize);
            FaultDaemons.await(Duration.ofSeconds(20), "thread count back near " + baseline,
                    () -> ManagementFactory.getThreadMXBean().getThreadCount() <= baseline + 5);
            assertThat(ManagementFactory.getThreadMXBean().getThreadCount())
                    .as("threads before %s after %s", threadsBefore, threadsByName()).isLessThanOrEqualTo(baseline + 5);
        } finally {
            stop.set(true);
            Outage.start(pg);
            daemon.stop();
        }
    }

    private static Timestamp lastSeen(PgServer pg, String db) {
        try (Connection c = pg.connect(db); PreparedStatement ps = c.prepareStatement(
                "SELECT last_seen FROM steep_repl.nodes WHERE node_id = 'test-node'"); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getTimestamp(1) : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static int serverSessions(PgServer pg, String db) throws Exception {
        try (Connection c = pg.connect("postgres"); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'steep-repl' AND datname = ?")) {
            ps.setString(1, db);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Live platform threads grouped by name with digits removed ("ipc-conn-123" → "ipc-conn-"). */
    private static Map<String, Integer> threadsByName() {
        Map<String, Integer> m = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            m.merge(t.getName().replaceAll("\\d+", "#"), 1, Integer::sum);
        }
        return m;
    }
}
