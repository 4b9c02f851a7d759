package io.steep.repl.daemon.audit;

import io.steep.repl.daemon.db.Database;
import io.steep.repl.daemon.lifecycle.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps audit_log within {@code repl.audit.retention}: calls {@code steep_repl.prune_audit_log(retention)} once
 * PostgreSQL is first ready and then every hour. The extension's function is the only way rows may leave the
 * append-only table.
 */
public final class AuditPruner implements Component {

    private static final Logger log = LoggerFactory.getLogger(AuditPruner.class);
    static final Duration INTERVAL = Duration.ofHours(1);

    private final Database database;
    private final Duration retention;
    private volatile boolean running;
    private Thread thread;
    private volatile Instant lastRun;

    public AuditPruner(Database database, Duration retention) {
        this.database = database;
        this.retention = retention;
    }

    @Override
    public String name() {
        return "audit-retention";
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofVirtual().name("audit-retention").start(this::loop);
    }

    private void loop() {
        while (running) {
            try {
                if (database.status().ready() && (lastRun == null || Instant.now().isAfter(lastRun.plus(INTERVAL)))) {
                    long removed = pruneNow();
                    lastRun = Instant.now();
                    if (removed > 0) {
                        log.info("audit retention: removed {} audit_log row(s) older than {}", removed,
                                io.steep.repl.daemon.config.Durations.format(retention));
                    }
                }
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                return;
            } catch (SQLException e) {
                log.warn("audit retention: steep_repl.prune_audit_log failed, retrying later: {}", e.getMessage());
                lastRun = Instant.now().minus(INTERVAL).plusSeconds(60); // retry in a minute, not every 5 s
            }
        }
    }

    /** Runs the pruning function once; returns the number of rows removed. */
    public long pruneNow() throws SQLException {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT steep_repl.prune_audit_log(make_interval(secs => ?))")) {
            ps.setDouble(1, retention.toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(Duration.ofSeconds(5));
        }
    }
}
