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
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
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
    /** Events per transaction: one statement and one spool offset write each. */
    private static final int BATCH = 500;
    /** Refused events logged one by one per batch; the rest are counted in one line. */
    private static final int LOGGED_REFUSALS = 3;
    /**
     * A whole batch in one round trip, in spool order (ids follow it), skipping events already in the table: the
     * only way one can be there is a crash after the commit and before the spool offset moved past it.
     * Timestamps travel as ISO-8601 text (the event's are whole microseconds, so they compare exactly).
     */
    private static final String INSERT = """
            INSERT INTO steep_repl.audit_log
                (occurred_at, action, actor, target_type, target_id, new_value, success, error_message)
            SELECT e.occurred_at, e.action, e.actor, e.target_type, e.target_id, e.new_value, e.success, e.error_message
            FROM unnest(?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[], ?::jsonb[], ?::boolean[], ?::text[])
                WITH ORDINALITY AS e(occurred_at, action, actor, target_type, target_id, new_value, success, error_message, n)
            WHERE NOT EXISTS (SELECT 1 FROM steep_repl.audit_log a
                              WHERE a.occurred_at = e.occurred_at AND a.action = e.action
                                AND a.new_value->>'event_id' = e.new_value->>'event_id')
            ORDER BY e.n""";

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
        try (Connection c = database.dataSource().getConnection()) {
            insert(c, List.of(e));
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
            long rejected = spool == null ? 0 : spool.rejectedCount();
            if (rejected > 0) {
                // degraded, not down: everything else is delivered; someone should look at what was not
                return new ComponentHealth(true, "events_rejected", null, 0, null, rejected + " audit event(s) kept out "
                        + "of PostgreSQL in " + spoolDir.resolve(AuditSpool.REJECTED) + " (the daemon log says why); "
                        + "move the file away once dealt with");
            }
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

    /**
     * Waits at most {@code timeout} for the spool to be delivered; true if it is empty. PostgreSQL may be down for
     * part of the wait: right after a restart the monitor can still be finding out that the server went away, and a
     * caller asking "is everything written?" wants the answer once it is back, not "not ready" of the moment.
     */
    public boolean flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (depth() > 0 && System.nanoTime() < deadline) {
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
            spool.refreshRejected();
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

    /**
     * Moves pending events into audit_log in order, one transaction per batch, committing the spool offset after
     * each batch. What can never be written — a line that cannot be read back, an event PostgreSQL refuses as
     * data — goes to the spool's rejected file instead of holding up every event behind it.
     */
    private void deliverPending() throws SQLException, IOException {
        Path rejectedFile = spoolDir.resolve(AuditSpool.REJECTED);
        List<AuditSpool.Pending> pending;
        while (!(pending = spool.readPending(BATCH)).isEmpty()) {
            List<AuditEvent> events = pending.stream().filter(AuditSpool.Pending::readable).map(AuditSpool.Pending::event).toList();
            List<Refused> refused = events.isEmpty() ? List.of() : insertBatch(events);
            for (AuditSpool.Pending p : pending) {
                if (!p.readable()) {
                    spool.reject(p.line());
                    log.error("audit spool {}: a line that cannot be read ({}) was moved to {}; the events after it "
                            + "are delivered", spoolDir, firstLine(p.problem()), rejectedFile);
                }
            }
            for (int i = 0; i < refused.size(); i++) {
                Refused r = refused.get(i);
                spool.reject(AuditJson.line(r.event()));
                // a table change that refuses every event must not write one ERROR per event
                if (i < LOGGED_REFUSALS) {
                    log.error("audit event {} ({}) was refused by PostgreSQL ({}); it is kept in {} and the events after "
                            + "it are delivered", r.event().eventId(), r.event().action(), r.reason(), rejectedFile);
                }
            }
            if (refused.size() > LOGGED_REFUSALS) {
                log.error("{} more audit events of this batch were refused by PostgreSQL and are kept in {}",
                        refused.size() - LOGGED_REFUSALS, rejectedFile);
            }
            // The rows are committed; a crash before this line only means the id check skips them next time.
            spool.commit(pending.getLast().end(), pending.size());
        }
    }

    private record Refused(AuditEvent event, String reason) {
    }

    /**
     * Writes {@code events} in one transaction. If PostgreSQL refuses the batch for its data, each event is tried
     * in its own transaction, and those refused alone are returned; any other failure (PostgreSQL down, no
     * privilege) is thrown and the whole batch stays in the spool.
     */
    private List<Refused> insertBatch(List<AuditEvent> events) throws SQLException, IOException {
        try (Connection c = database.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                insert(c, events);
                c.commit();
                return List.of();
            } catch (SQLException ex) {
                c.rollback();
                if (!refusedForItsData(ex)) {
                    throw ex;
                }
            }
            List<Refused> refused = new ArrayList<>();
            for (AuditEvent e : events) {
                try {
                    insert(c, List.of(e));
                    c.commit();
                } catch (SQLException ex) {
                    c.rollback();
                    if (!refusedForItsData(ex)) {
                        throw ex;
                    }
                    refused.add(new Refused(e, firstLine(ex.getMessage())));
                }
            }
            return refused;
        }
    }

    /**
     * SQLSTATE class 22 (data exception: bad JSON, a value out of range), 23 (a constraint a DBA added, such as a
     * CHECK) or 54 (a size limit exceeded): the event itself is the problem, and retrying it cannot help.
     */
    private static boolean refusedForItsData(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
    }

    /** Jackson's and PostgreSQL's messages go on with the source position or the failing row: the log wants the gist. */
    private static String firstLine(String message) {
        String m = String.valueOf(message);
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static void insert(Connection c, List<AuditEvent> events) throws SQLException, IOException {
        int n = events.size();
        String[] at = new String[n], action = new String[n], actor = new String[n], targetType = new String[n],
                targetId = new String[n], newValue = new String[n], error = new String[n];
        Boolean[] success = new Boolean[n];
        for (int i = 0; i < n; i++) {
            AuditEvent e = events.get(i);
            at[i] = e.occurredAt().toString();
            action[i] = e.action();
            actor[i] = e.actor();
            targetType[i] = e.targetType();
            targetId[i] = e.targetId();
            newValue[i] = AuditJson.newValue(e);
            success[i] = e.success();
            error[i] = e.errorMessage();
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setArray(1, c.createArrayOf("text", at));
            ps.setArray(2, c.createArrayOf("text", action));
            ps.setArray(3, c.createArrayOf("text", actor));
            ps.setArray(4, c.createArrayOf("text", targetType));
            ps.setArray(5, c.createArrayOf("text", targetId));
            ps.setArray(6, c.createArrayOf("text", newValue));
            ps.setArray(7, c.createArrayOf("bool", success));
            ps.setArray(8, c.createArrayOf("text", error));
            ps.executeUpdate();
        }
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
