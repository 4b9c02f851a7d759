package io.steep.repl.daemon.audit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.steep.repl.daemon.db.Database;
import io.steep.repl.daemon.health.ComponentHealth;
import io.steep.repl.daemon.lifecycle.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes the daemon's own audit events. {@link #record} makes an event durable in the local {@link AuditSpool}
 * and returns; a delivery thread moves spooled events into {@code steep_repl.audit_log} in order whenever
 * PostgreSQL is ready, so nothing is lost while it is down and nothing is written twice after it comes back.
 */
public final class AuditWriter implements Component {

    private static final Logger log = LoggerFactory.getLogger(AuditWriter.class);
    private static final int BATCH = 100;
    private static final String EXISTS = "SELECT 1 FROM steep_repl.audit_log WHERE occurred_at = ? AND action = ? "
            + "AND new_value->>'event_id' = ?";
    private static final String INSERT = "INSERT INTO steep_repl.audit_log "
            + "(occurred_at, action, actor, target_type, target_id, new_value, success, error_message) "
            + "VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?)";

    private final Path spoolDir;
    private final Database database;
    private final MeterRegistry meters;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private AuditSpool spool;
    private volatile boolean running;
    private Thread delivery;
    private volatile String lastProblem = "";
    /** Why the last append to the spool failed; null while the spool is writable. */
    private volatile String spoolProblem;
    private long unspooled;

    public AuditWriter(Path spoolDir, Database database, MeterRegistry meters) {
        this.spoolDir = spoolDir;
        this.database = database;
        this.meters = meters;
    }

    @Override
    public String name() {
        return "audit";
    }

    @Override
    public void start() throws IOException {
        try {
            spool = new AuditSpool(spoolDir);
        } catch (IOException e) {
            throw new IOException("audit spool directory " + spoolDir + " is not usable: " + e.getMessage()
                    + " (set repl.audit.spool_dir to a writable directory)", e);
        }
        if (spool.depth() > 0) {
            log.info("audit spool {} holds {} undelivered event(s); they are written once PostgreSQL is ready", spoolDir, spool.depth());
        }
        if (meters != null) {
            Gauge.builder("steep_repl_audit_spool_depth", this, AuditWriter::depth)
                    .description("Audit events waiting in the local spool for PostgreSQL").register(meters);
        }
        database.addListener(s -> {
            if (s.ready()) {
                wake();
            }
        });
        running = true;
        delivery = Thread.ofVirtual().name("audit-delivery").start(this::deliveryLoop);
    }

    /**
     * Durably records {@code event}. Returns once it is on disk; the database row follows as soon as PostgreSQL
     * is ready. Fails only when the spool itself cannot be written (disk full, permissions), which is logged.
     */
    public void record(AuditEvent event) {
        try {
            spool.append(event);
        } catch (IOException e) {
            spoolFailed(event, e);
            return;
        }
        if (spoolProblem != null) {
            spoolRecovered();
        }
        wake();
    }

    /**
     * The spool cannot be written (disk full, read-only, permissions). The daemon keeps running: the event goes
     * straight to PostgreSQL when it is ready (not durable across a crash, but not lost), health says so, and the
     * error is logged once per distinct cause rather than once per event.
     */
    private void spoolFailed(AuditEvent event, IOException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        boolean direct = database.status().ready() && insertDirectly(event);
        String problem = "cannot write the audit spool " + spoolDir + " (" + reason + "): free disk space or make "
                + "repl.audit.spool_dir writable";
        synchronized (this) {
            if (!direct) {
                unspooled++;
            }
            if (!problem.equals(spoolProblem)) {
                log.error("{}; until then audit events go straight to PostgreSQL while it is reachable and are lost "
                        + "while it is not (this one: {})", problem, direct ? "written to PostgreSQL" : "lost");
            }
            spoolProblem = problem;
        }
    }

    private synchronized void spoolRecovered() {
        if (spoolProblem == null) {
            return;
        }
        log.info("audit spool {} is writable again; {} audit event(s) could not be recorded meanwhile", spoolDir, unspooled);
        spoolProblem = null;
    }

    private boolean insertDirectly(AuditEvent e) {
        try (Connection c = database.dataSource().getConnection(); PreparedStatement insert = c.prepareStatement(INSERT)) {
            bindInsert(insert, e);
            insert.executeUpdate();
            return true;
        } catch (SQLException | IOException | RuntimeException ex) {
            log.debug("direct audit insert failed", ex);
            return false;
        }
    }

    /**
     * The {@code audit} health component: healthy while the spool is writable; degraded (healthy, with an error)
     * while it is not but PostgreSQL takes the events directly; unhealthy while events are being lost.
     */
    public ComponentHealth health() {
        String problem = spoolProblem;
        if (problem == null) {
            return ComponentHealth.up(depth() == 0 ? "ok" : "spooling");
        }
        boolean losing = !database.status().ready();
        return new ComponentHealth(!losing, losing ? "losing_events" : "spool_unwritable", null, 0, null,
                problem + (losing ? "; PostgreSQL is not reachable either, so audit events are being lost"
                        : "; events are written to PostgreSQL directly, without the crash-safe spool"));
    }

    /** Events not yet in the database. */
    public int depth() {
        AuditSpool s = spool;
        return s == null ? 0 : s.depth();
    }

    /** Delivers what can be delivered now, waiting at most {@code timeout}; true if the spool is empty. */
    public boolean flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (depth() > 0 && System.nanoTime() < deadline) {
            if (!database.status().ready()) {
                return false;
            }
            wake();
            Thread.sleep(20);
        }
        return depth() == 0;
    }

    private void wake() {
        lock.lock();
        try {
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void deliveryLoop() {
        while (running) {
            if (database.status().ready() && depth() > 0) {
                try {
                    deliverPending();
                    lastProblem = "";
                } catch (SQLException | IOException | RuntimeException e) {
                    String problem = String.valueOf(e.getMessage() == null ? e : e.getMessage()); // a null message must not end delivery
                    if (!problem.equals(lastProblem)) {
                        log.warn("audit events stay in the spool ({} pending) until PostgreSQL accepts them: {}", depth(), problem);
                        lastProblem = problem;
                    }
                    database.probeSoon();
                }
            }
            lock.lock();
            try {
                if (running && (depth() == 0 || !database.status().ready() || !lastProblem.isEmpty())) {
                    work.await(1, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Moves pending events into audit_log in order, one transaction per batch, committing the spool offset after each batch. */
    private void deliverPending() throws SQLException, IOException {
        List<AuditSpool.Pending> pending;
        while (!(pending = spool.readPending(BATCH)).isEmpty()) {
            try (Connection c = database.dataSource().getConnection()) {
                c.setAutoCommit(false);
                try (PreparedStatement exists = c.prepareStatement(EXISTS); PreparedStatement insert = c.prepareStatement(INSERT)) {
                    for (AuditSpool.Pending p : pending) {
                        AuditEvent e = p.event();
                        Timestamp at = Timestamp.from(e.occurredAt());
                        exists.setTimestamp(1, at);
                        exists.setString(2, e.action());
                        exists.setString(3, e.eventId().toString());
                        boolean already;
                        try (ResultSet rs = exists.executeQuery()) {
                            already = rs.next();
                        }
                        if (!already) {
                            bindInsert(insert, e);
                            insert.executeUpdate();
                        }
                    }
                    c.commit();
                } catch (SQLException | RuntimeException ex) {
                    c.rollback();
                    throw ex;
                }
            }
            // The rows are committed; a crash before this line only means the id check above skips them next time.
            spool.commit(pending.getLast().end(), pending.size());
        }
    }

    /** The {@link #INSERT} parameters of one event (the direct path and the spool delivery write the same row). */
    private void bindInsert(PreparedStatement insert, AuditEvent e) throws SQLException, IOException {
        insert.setTimestamp(1, Timestamp.from(e.occurredAt()));
        insert.setString(2, e.action());
        insert.setString(3, e.actor());
        insert.setString(4, e.targetType());
        insert.setString(5, e.targetId());
        insert.setString(6, AuditJson.newValue(e));
        insert.setBoolean(7, e.success());
        insert.setString(8, e.errorMessage());
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        wake();
        if (delivery != null) {
            delivery.join(Duration.ofSeconds(10));
        }
        if (spool != null) {
            if (spool.depth() > 0) {
                log.info("{} audit event(s) stay in the spool {} and are written after the next start", spool.depth(), spoolDir);
            }
            spool.close();
        }
    }
}
