package io.steep.repl.daemon.audit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.steep.repl.daemon.Outage;
import io.steep.repl.daemon.TestConfigs;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.db.Backoff;
import io.steep.repl.daemon.db.Database;
import io.steep.repl.daemon.health.ComponentHealth;
import io.steep.repl.testing.PgServer;
import io.steep.repl.testing.RealPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RealPostgres.class)
class AuditWriterTest {

    static final Backoff FAST = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));

    @TempDir
    Path dir;

    private static String database(PgServer pg, String prefix) throws Exception {
        String db = pg.createDatabase(prefix);
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION steep_repl");
        }
        return db;
    }

    private static long count(PgServer pg, String db, String action) throws Exception {
        try (Connection c = pg.connect(db); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*), count(DISTINCT coalesce(new_value->>'event_id', id::text)) FROM steep_repl.audit_log WHERE action = ?")) {
            ps.setString(1, action);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(2)).as("distinct event ids").isEqualTo(rs.getLong(1));
                return rs.getLong(1);
            }
        }
    }

    private static void awaitEmpty(AuditWriter w) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (w.depth() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(w.depth()).as("spool depth").isZero();
    }

    /** The config's database and an audit writer on its spool, started; closing stops the writer, then the pool. */
    private record Running(Database database, AuditWriter writer) implements AutoCloseable {

        static Running start(DaemonConfig config) throws Exception {
            Database d = new Database(config, null, FAST);
            AuditWriter w = new AuditWriter(config.audit().spoolDir(), d, null);
            d.start();
            w.start();
            return new Running(d, w);
        }

        @Override
        public void close() throws InterruptedException {
            writer.stop();
            database.stop();
        }
    }

    @Test
    void eventBecomesARowWithItsFieldsAndId(PgServer pg) throws Exception {
        String db = database(pg, "audit_row");
        DaemonConfig config = TestConfigs.config(dir, pg, db);
        try (Running r = Running.start(config)) {
            AuditWriter w = r.writer();
            AuditEvent e = AuditEvent.failure("daemon.test_failed", config.actor(), "node", "test-node", Map.of("port", 8080), "port taken");
            w.record(e);
            awaitEmpty(w);
            try (Connection c = pg.connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT occurred_at, actor, target_type, target_id, new_value->>'event_id', (new_value->>'port')::int, success, error_message "
                            + "FROM steep_repl.audit_log WHERE action = 'daemon.test_failed'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getTimestamp(1).toInstant()).isEqualTo(e.occurredAt());
                assertThat(rs.getString(2)).isEqualTo(pg.superuser() + "@test-node");
                assertThat(rs.getString(3)).isEqualTo("node");
                assertThat(rs.getString(4)).isEqualTo("test-node");
                assertThat(rs.getString(5)).isEqualTo(e.eventId().toString());
                assertThat(rs.getInt(6)).isEqualTo(8080);
                assertThat(rs.getBoolean(7)).isFalse();
                assertThat(rs.getString(8)).isEqualTo("port taken");
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void eventsRecordedWhilePostgresIsDownAreReplayedExactlyOnce(PgServer pg) throws Exception {
        String db = database(pg, "audit_outage");
        DaemonConfig config = TestConfigs.config(dir, pg, db);
        try (Running r = Running.start(config)) {
            Database d = r.database();
            AuditWriter w = r.writer();
            assertThat(d.awaitReady(Duration.ofSeconds(30))).isTrue();
            for (int i = 0; i < 5; i++) {
                w.record(AuditEvent.success("test.outage", config.actor(), "test", "before-" + i, Map.of()));
            }
            awaitEmpty(w);
            // FAST, not IMMEDIATE: zonky runs with synchronous_commit=off, so a crash would lose the test's own setup
            Outage.stop(pg, PgServer.StopMode.FAST);
            FutureTask<Boolean> flush = new FutureTask<>(() -> w.flush(Duration.ofSeconds(60)));
            try {
                for (int i = 0; i < 40; i++) {
                    w.record(AuditEvent.success("test.outage", config.actor(), "test", "during-" + i, Map.of("i", i)));
                }
                Thread.sleep(2_000); // PostgreSQL stays away for a while; the delivery thread keeps failing
                assertThat(w.depth()).isEqualTo(40);
                // asked while PostgreSQL is away, flush waits for it rather than answering with the moment's "not ready"
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (d.status().ready() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(d.status().ready()).as("the monitor noticed the outage").isFalse();
                Thread.ofVirtual().start(flush);
                Thread.sleep(500);
                assertThat(flush).as("flush while PostgreSQL is down").isNotDone();
            } finally {
                Outage.start(pg);
            }
            assertThat(flush.get(90, TimeUnit.SECONDS)).as("flush once PostgreSQL is back").isTrue();
            assertThat(w.depth()).isZero();
            assertThat(count(pg, db, "test.outage")).isEqualTo(45);
            try (Connection c = pg.connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT string_agg(target_id, ',' ORDER BY id) FROM steep_repl.audit_log WHERE target_id LIKE 'during-%'")) {
                rs.next();
                assertThat(rs.getString(1).split(",")).hasSize(40).startsWith("during-0", "during-1").endsWith("during-39");
            }
        }
    }

    @Test
    void replayAfterACrashBeforeTheOffsetWasWrittenWritesNothingTwice(PgServer pg) throws Exception {
        String db = database(pg, "audit_crash");
        DaemonConfig config = TestConfigs.config(dir, pg, db);
        Path spoolDir = config.audit().spoolDir();
        try (AuditSpool spool = new AuditSpool(spoolDir)) {
            for (int i = 0; i < 10; i++) {
                spool.append(AuditEvent.success("test.crash", config.actor(), "test", "e" + i, Map.of()));
            }
        }
        Path saved = dir.resolve("saved.jsonl");
        Files.copy(spoolDir.resolve(AuditSpool.LOG), saved);

        Database d = new Database(config, null, FAST);
        d.start();
        try {
            AuditWriter first = new AuditWriter(spoolDir, d, null);
            first.start();
            awaitEmpty(first);
            first.stop();
            assertThat(count(pg, db, "test.crash")).isEqualTo(10);

            // The crash: rows committed, but the spool still shows them undelivered.
            Files.copy(saved, spoolDir.resolve(AuditSpool.LOG), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(spoolDir.resolve(AuditSpool.OFFSET), "0");
            // read before the writer starts: once started it delivers at once, and a depth read after start()
            // raced that delivery (0 instead of 10 in one CI run)
            try (AuditSpool restored = new AuditSpool(spoolDir)) {
                assertThat(restored.depth()).isEqualTo(10);
            }
            AuditWriter second = new AuditWriter(spoolDir, d, null);
            second.start();
            second.record(AuditEvent.success("test.crash", config.actor(), "test", "new", Map.of()));
            awaitEmpty(second);
            second.stop();
            assertThat(count(pg, db, "test.crash")).isEqualTo(11);
        } finally {
            d.stop();
        }
    }

    @Test
    void aNulCharacterIsStoredAsTheReplacementCharacterAndHoldsUpNothing(PgServer pg) throws Exception {
        // PostgreSQL's text and jsonb cannot hold U+0000: an event with one used to be retried forever, and every
        // event recorded after it waited behind it in the spool
        String db = database(pg, "audit_nul");
        DaemonConfig config = TestConfigs.config(dir, pg, db);
        try (Running r = Running.start(config)) {
            AuditWriter w = r.writer();
            w.record(AuditEvent.failure("test.nul", config.actor(), "node", "a\0b",
                    Map.of("peer\0", "x\0y", "list", List.of("1\0")), "bad \0 input"));
            w.record(AuditEvent.success("test.nul", config.actor(), "node", "after", Map.of()));
            awaitEmpty(w);
            try (Connection c = pg.connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT target_id, new_value->>'peer\uFFFD', new_value->'list'->>0, error_message "
                            + "FROM steep_repl.audit_log WHERE action = 'test.nul' ORDER BY id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("a\uFFFDb");
                assertThat(rs.getString(2)).isEqualTo("x\uFFFDy");
                assertThat(rs.getString(3)).isEqualTo("1\uFFFD");
                assertThat(rs.getString(4)).isEqualTo("bad \uFFFD input");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("after");
            }
            assertThat(config.audit().spoolDir().resolve(AuditSpool.REJECTED)).doesNotExist();
        }
    }

    @Test
    void anUnreadableLineAndAnEventPostgresRefusesAreKeptAsideAndTheRestIsDeliveredInOrder(PgServer pg) throws Exception {
        String db = database(pg, "audit_reject");
        DaemonConfig config = TestConfigs.config(dir, pg, db);
        Path spoolDir = config.audit().spoolDir();
        // a rule of the DBA's that one event breaks: PostgreSQL refuses it for its data, whenever it is retried
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE steep_repl.audit_log ADD CONSTRAINT no_refused CHECK (target_id IS DISTINCT FROM 'refused')");
        }
        AuditEvent refused = AuditEvent.success("test.reject", config.actor(), "test", "refused", Map.of("n", 1));
        byte[] garbage = "{\"eventId\": damaged on disk".getBytes(StandardCharsets.UTF_8);
        try (AuditSpool spool = new AuditSpool(spoolDir)) {
            spool.append(AuditEvent.success("test.reject", config.actor(), "test", "e0", Map.of()));
            spool.append(refused);
            spool.append(AuditEvent.success("test.reject", config.actor(), "test", "e1", Map.of()));
        }
        // a line damaged in the middle of the spool, between readable ones
        Files.write(spoolDir.resolve(AuditSpool.LOG), concat(garbage, "\n".getBytes()), StandardOpenOption.APPEND);
        try (AuditSpool spool = new AuditSpool(spoolDir)) {
            spool.append(AuditEvent.success("test.reject", config.actor(), "test", "e2", Map.of()));
        }
        try (Running r = Running.start(config)) {
            AuditWriter w = r.writer();
            awaitEmpty(w);
            try (Connection c = pg.connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT string_agg(target_id, ',' ORDER BY id) FROM steep_repl.audit_log WHERE action = 'test.reject'")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("e0,e1,e2");
            }
            List<String> kept = Files.readAllLines(spoolDir.resolve(AuditSpool.REJECTED));
            assertThat(kept).hasSize(2);
            assertThat(kept).contains(new String(garbage, StandardCharsets.UTF_8));
            assertThat(kept).anySatisfy(l -> assertThat(l).contains(refused.eventId().toString()));
            // what is kept aside is a spool line: it reads back as the same event
            byte[] line = kept.stream().filter(l -> l.contains(refused.eventId().toString())).findFirst().orElseThrow()
                    .getBytes(StandardCharsets.UTF_8);
            assertThat(AuditJson.event(line)).isEqualTo(refused);
            // health says so (degraded: healthy, with the reason), also after a restart, until the file is moved away
            assertThat(w.health()).satisfies(h -> {
                assertThat(h.healthy()).isTrue();
                assertThat(h.status()).isEqualTo("events_rejected");
                assertThat(h.error()).startsWith("2 audit event(s)").contains(spoolDir.resolve(AuditSpool.REJECTED).toString());
            });
            Files.createDirectories(dir.resolve("copy"));
            Files.copy(spoolDir.resolve(AuditSpool.REJECTED), dir.resolve("copy").resolve(AuditSpool.REJECTED));
            try (AuditSpool reopened = new AuditSpool(dir.resolve("copy"))) {
                assertThat(reopened.rejectedCount()).isEqualTo(2);
            }
            Files.move(spoolDir.resolve(AuditSpool.REJECTED), dir.resolve("looked-at.jsonl"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!w.health().status().equals("ok") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(w.health()).isEqualTo(ComponentHealth.up("ok"));
        }
    }

    @Test
    void aTableThatRefusesEveryEventKeepsThemAllAndLogsABoundedNumberOfLines(PgServer pg) throws Exception {
        String db = database(pg, "audit_refuse_all");
        DaemonConfig config = TestConfigs.config(dir, pg, db);
        Path spoolDir = config.audit().spoolDir();
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE steep_repl.audit_log ADD CONSTRAINT no_bulk CHECK (target_id NOT LIKE 'bulk-%')");
        }
        try (AuditSpool spool = new AuditSpool(spoolDir)) { // one batch: all in the spool before delivery starts
            for (int i = 0; i < 7; i++) {
                spool.append(AuditEvent.success("test.bulk", config.actor(), "test", "bulk-" + i, Map.of()));
            }
            spool.append(AuditEvent.success("test.bulk", config.actor(), "test", "fine", Map.of()));
        }
        Logger logger = (Logger) LoggerFactory.getLogger(AuditWriter.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        try (Running r = Running.start(config)) {
            AuditWriter w = r.writer();
            awaitEmpty(w);
            assertThat(count(pg, db, "test.bulk")).isOne();
            assertThat(Files.readAllLines(spoolDir.resolve(AuditSpool.REJECTED))).hasSize(7);
            List<String> errors = captured.list.stream()
                    .filter(e -> e.getLevel() == Level.ERROR).map(e -> e.getFormattedMessage()).toList();
            assertThat(errors).hasSize(4);
            assertThat(errors.subList(0, 3)).allSatisfy(m -> assertThat(m).contains("was refused by PostgreSQL").contains("no_bulk"));
            assertThat(errors.get(3)).startsWith("4 more audit events of this batch were refused by PostgreSQL");
        } finally {
            logger.detachAppender(captured);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void retentionPrunesThroughTheExtension(PgServer pg) throws Exception {
        String db = database(pg, "audit_prune");
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("INSERT INTO steep_repl.audit_log (occurred_at, action, actor) VALUES "
                    + "(now() - interval '3 years', 'old.event', 'x'), (now(), 'new.event', 'x')");
        }
        DaemonConfig config = TestConfigs.config(dir, pg, db);
        Database d = new Database(config, null, FAST);
        d.start();
        try {
            assertThat(d.awaitReady(Duration.ofSeconds(30))).isTrue();
            assertThat(new AuditPruner(d, config.audit().retention()).pruneNow()).isEqualTo(1);
            assertThat(count(pg, db, "old.event")).isZero();
            assertThat(count(pg, db, "new.event")).isOne();
        } finally {
            d.stop();
        }
    }
}
