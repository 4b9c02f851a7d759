package io.steep.repl.daemon.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.config.PasswordCommand;
import io.steep.repl.daemon.lifecycle.Component;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The daemon's PostgreSQL: a HikariCP pool over pgjdbc, and a monitor (one virtual thread) that probes the
 * server about once a second. The monitor is the single source of {@link PgStatus}: health endpoints read its
 * snapshot, so a burst of probes never becomes a burst of queries, and the status is current even when nobody
 * asks. While the server is away it retries forever with capped exponential backoff and jitter — bad
 * credentials included, since a DBA may be fixing them — and the pool reconnects on its own. While the server is
 * <em>down</em> (connection refused, or "starting up"), the backoff only paces the log and the full connection
 * attempts: a TCP connect to host:port every {@value #PORT_WATCH_MILLIS} ms ends the wait as soon as the port
 * opens again, so a restarted server is back in {@code /health} within about a second, not after up to 30 s.
 *
 * <p>Starting never waits for the server: the daemon comes up, reports "connecting", and gets to work once
 * PostgreSQL answers.
 */
public final class Database implements Component {

    private static final Logger log = LoggerFactory.getLogger(Database.class);
    public static final int MIN_SERVER_VERSION_NUM = 180000;
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    static final int PORT_WATCH_MILLIS = 250;
    /** How long a probe waits for a pooled connection before it looks at the port itself. */
    static final int QUICK_LOOK_MILLIS = 250;
    static final String POOL_NAME = "steep-repl";

    private final DaemonConfig.Postgres settings;
    private final String actor;
    private final MeterRegistry meters;
    private final Backoff backoff;
    private final List<Consumer<PgStatus>> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private volatile PgStatus status = PgStatus.initial();
    private volatile boolean running;
    private volatile String lastLoggedProblem = "";
    /** Bumped by {@link #probeSoon}, so a wait for the server's port also ends when someone asks for a probe. */
    private volatile long probeRequests;
    private HikariDataSource pool;
    private ActorDataSource physical;
    private Thread monitor;

    public Database(DaemonConfig config, MeterRegistry meters, Backoff backoff) {
        this.settings = config.postgresql();
        this.actor = config.actor();
        this.meters = meters;
        this.backoff = backoff;
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public void start() {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setServerNames(new String[] {settings.host()});
        pg.setPortNumbers(new int[] {settings.port()});
        pg.setDatabaseName(settings.database());
        pg.setUser(settings.user());
        if (!settings.password().isEmpty()) {
            pg.setPassword(settings.password());
        }
        pg.setSslMode(settings.sslmode());
        pg.setApplicationName("steep-repl");
        pg.setConnectTimeout(5);
        pg.setLoginTimeout(10);
        pg.setTcpKeepAlive(true);
        physical = new ActorDataSource(pg, actor);

        HikariConfig hc = new HikariConfig();
        hc.setPoolName(POOL_NAME);
        hc.setDataSource(physical);
        hc.setMaximumPoolSize(settings.poolSize());
        hc.setMinimumIdle(1);
        hc.setConnectionTimeout(3_000);
        hc.setValidationTimeout(1_000);
        hc.setInitializationFailTimeout(-1); // never block start-up on the server
        hc.setKeepaliveTime(60_000);
        hc.setMaxLifetime(30 * 60_000);
        if (meters != null) {
            hc.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meters));
        }
        pool = new HikariDataSource(hc);
        running = true;
        monitor = Thread.ofVirtual().name("pg-monitor").start(this::monitorLoop);
    }

    /** The pool. Connections carry {@code application_name=steep-repl} and {@code steep_repl.actor}. */
    public DataSource dataSource() {
        return pool;
    }

    public PgStatus status() {
        return status;
    }

    /** Called from the monitor thread whenever the state changes (not on every probe). */
    public void addListener(Consumer<PgStatus> listener) {
        listeners.add(listener);
    }

    /** Asks the monitor to probe now instead of at its next scheduled time. */
    public void probeSoon() {
        probeRequests++;
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the server is READY, for tests and the embedded main job. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!status.ready()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    public String describeTarget() {
        return settings.user() + "@" + settings.host() + ":" + settings.port() + "/" + settings.database();
    }

    private void monitorLoop() {
        int failures = 0;
        boolean needPassword = !settings.passwordCommand().isEmpty() && settings.password().isEmpty();
        while (running) {
            Duration next;
            try {
                if (needPassword) {
                    physical.setPassword(PasswordCommand.run(settings.passwordCommand(), PasswordCommand.DEFAULT_TIMEOUT));
                    needPassword = false;
                }
                probe();
                failures = 0;
                next = PROBE_INTERVAL;
            } catch (PasswordCommand.Failure e) {
                if (!running) {
                    break; // stopping: the failure is our own interrupt, not news about the server
                }
                next = backoff.delay(failures++);
                fail(e.getMessage() + "; retrying in " + seconds(next));
            } catch (SQLException e) {
                if (!running) {
                    break;
                }
                next = backoff.delay(failures++);
                boolean authFailure = isAuthFailure(e);
                if (authFailure && !settings.passwordCommand().isEmpty() && settings.password().isEmpty()) {
                    needPassword = true; // the helper may hand out a fixed password next time
                }
                if (!authFailure && isServerDown(e)) {
                    fail(explain(e, false) + "; retrying in " + seconds(next) + ", or as soon as its port opens");
                    // Probe again only once the port accepts: a probe against a closed port waits out the pool's
                    // connection timeout (3 s), and a server back during that wait found Hikari's adder asleep in
                    // its own backoff — one outage in eighteen took 3.2 s to recover (docs/benchmarks.md).
                    boolean startingUp = isStartingUp(e);
                    boolean refused = isRefused(e);
                    while (running && !waitForServer(next, startingUp, refused) && !portAccepts()) {
                        // seen refusing just now: the next wait ends the moment the port opens, even at its
                        // first look (a wait that had not seen a refusal took an open port for a server that
                        // answers with errors and waited out the backoff: a 5.7 s recovery)
                        refused = true;
                        next = backoff.delay(failures++);
                        fail(explain(e, false) + "; retrying in " + seconds(next) + ", or as soon as its port opens");
                    }
                    if (running) {
                        wakeConnectionAdders(POOL_NAME);
                    }
                    continue;
                }
                fail(explain(e, authFailure) + "; retrying in " + seconds(next));
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                next = backoff.delay(failures++);
                fail("unexpected error while checking PostgreSQL: " + e + "; retrying in " + seconds(next));
            }
            sleep(next);
        }
    }

    private void probe() throws SQLException {
        try (Connection c = borrowForProbe(); Statement s = c.createStatement()) {
            long t0 = System.nanoTime();
            try (ResultSet rs = s.executeQuery("SELECT current_setting('server_version'), current_setting('server_version_num')::int, "
                    + "(SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'steep_repl')")) {
                rs.next();
                long latency = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                String version = rs.getString(1).split(" ")[0];
                int versionNum = rs.getInt(2);
                Optional<String> ext = Optional.ofNullable(rs.getString(3));
                if (versionNum < MIN_SERVER_VERSION_NUM) {
                    update(PgStatus.State.UNSUPPORTED_VERSION, Optional.of(version), versionNum, latency,
                            "PostgreSQL 18 or later is required for replication, the server is " + version
                                    + "; replication features stay off until it is upgraded", ext);
                } else if (ext.isEmpty()) {
                    update(PgStatus.State.EXTENSION_MISSING, Optional.of(version), versionNum, latency,
                            "extension steep_repl is not installed in database \"" + settings.database()
                                    + "\": install the steep-repl extension files on the server, then run "
                                    + "CREATE EXTENSION steep_repl; as a superuser in that database", ext);
                } else {
                    update(PgStatus.State.READY, Optional.of(version), versionNum, latency, null, ext);
                }
            }
        }
    }

    /**
     * A pooled connection for the probe. When the pool holds none that works, Hikari keeps trying for its whole
     * connection timeout (3 s) before it says so, and a server that died without closing its connections (kill -9,
     * the OOM killer, a crashed host) kept {@code /health} at 200 for ~4 s. So after {@link #QUICK_LOOK_MILLIS}
     * without a connection the probe looks at the port itself: a refused connection means nothing is listening,
     * which is the answer now. Anything else (a slow login, a slow network) waits for the pool as before.
     */
    private Connection borrowForProbe() throws SQLException {
        CompletableFuture<Connection> borrow = new CompletableFuture<>();
        Thread.ofVirtual().name("pg-probe-borrow").start(() -> {
            try {
                borrow.complete(pool.getConnection());
            } catch (SQLException | RuntimeException e) {
                borrow.completeExceptionally(e);
            }
        });
        try {
            try {
                return borrow.get(QUICK_LOOK_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException slow) {
                Optional<java.net.ConnectException> refused = portRefusal();
                if (refused.isPresent()) {
                    // the borrow goes on inside the pool; a connection it gets after all goes straight back
                    borrow.thenAccept(Database::closeQuietly);
                    throw new SQLException("nothing is listening on " + settings.host() + ":" + settings.port() + " ("
                            + refused.get().getMessage() + "): is PostgreSQL running?", "08001", refused.get());
                }
                return borrow.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stop() ends the wait; the monitor loop sees running == false
            borrow.thenAccept(Database::closeQuietly);
            throw new SQLException("interrupted while waiting for a connection", "08001", e);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            log.debug("closing a probe connection nobody waits for any more", e);
        }
    }

    private void fail(String message) {
        PgStatus old = status;
        update(PgStatus.State.DISCONNECTED, old.serverVersion(), old.serverVersionNum(), -1, message, old.extensionVersion());
    }

    private void update(PgStatus.State state, Optional<String> version, int versionNum, long latency, String error,
                        Optional<String> ext) {
        PgStatus old = status;
        Instant now = Instant.now();
        boolean changed = old.state() != state;
        status = new PgStatus(state, version, versionNum, latency, Optional.ofNullable(error), ext, now, changed ? now : old.since());
        // One log line per distinct problem, not one per retry: the retry suffix is not part of the identity.
        String problem = error == null ? "" : error.replaceAll("; retrying in .*$", "");
        if (!problem.equals(lastLoggedProblem) || changed) {
            if (state == PgStatus.State.READY) {
                log.info("PostgreSQL {} ready: server {} with steep_repl {}", describeTarget(), version.orElse("?"), ext.orElse("?"));
            } else if (state == PgStatus.State.UNSUPPORTED_VERSION || state == PgStatus.State.EXTENSION_MISSING) {
                log.error("PostgreSQL {}: {}", describeTarget(), error);
            } else {
                log.warn("PostgreSQL {} unreachable: {}", describeTarget(), error);
            }
            lastLoggedProblem = problem;
        }
        if (changed) {
            for (Consumer<PgStatus> l : listeners) {
                try {
                    l.accept(status);
                } catch (RuntimeException e) {
                    log.warn("PostgreSQL status listener failed", e);
                }
            }
        }
    }

    /** Connection-level failures (SQLSTATE class 08, or 57P03 "cannot connect now"): nobody is answering yet. */
    static boolean isServerDown(SQLException e) {
        return anyCause(e, t -> t instanceof java.net.ConnectException
                || sqlState(t).startsWith("08") || sqlState(t).equals("57P03"));
    }

    /** The connection attempt was refused: nothing listens on the port (yet). */
    static boolean isRefused(SQLException e) {
        return anyCause(e, t -> t instanceof java.net.ConnectException);
    }

    static boolean isStartingUp(SQLException e) {
        return anyCause(e, t -> sqlState(t).equals("57P03"));
    }

    /** The pool wraps pgjdbc's exception, which wraps the socket's: the telling one can be anywhere in the chain. */
    private static boolean anyCause(Throwable e, java.util.function.Predicate<Throwable> test) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (test.test(t)) {
                return true;
            }
        }
        return false;
    }

    private static String sqlState(Throwable t) {
        return t instanceof SQLException s && s.getSQLState() != null ? s.getSQLState() : "";
    }

    /**
     * Waits up to {@code max}, ending early once the server's port accepts a TCP connection after having refused
     * one (it came back), or after one watch period when the server said it is starting up. A port that accepts
     * all along (a server that answers with an error) keeps the full backoff, so nothing spins.
     *
     * @param refusedAlready the caller has just seen the port refuse, so an open port at the first look means the
     *                       server came back
     * @return whether the server is worth trying again now (its port reopened, or it was starting up)
     */
    private boolean waitForServer(Duration max, boolean startingUp, boolean refusedAlready) {
        long deadline = System.nanoTime() + max.toNanos();
        long requests = probeRequests;
        boolean refused = refusedAlready;
        while (running && System.nanoTime() < deadline && probeRequests == requests) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            sleep(Duration.ofMillis(Math.max(1, Math.min(PORT_WATCH_MILLIS, left))));
            if (!running) {
                return false;
            }
            if (startingUp) {
                return true;
            }
            if (portAccepts()) {
                if (refused) {
                    return true;
                }
            } else {
                refused = true;
            }
        }
        return false;
    }

    /**
     * Ends the sleep of HikariCP's connection adder. After failed attempts it backs off on its own — 10 ms doubling
     * to 5 s, not configurable — so a server back after a few seconds' outage stayed unusable (and /health 503) for
     * up to 5 s more. Interrupting the adder ends that creator task (Hikari checks {@code Thread.interrupted()}
     * before each attempt), and the next borrower queues a fresh one that tries at once. Hikari names the thread
     * {@code <pool>:connection-adder}; {@code DatabaseTest} fails if that ever changes.
     *
     * @return how many adder threads were woken
     */
    static int wakeConnectionAdders(String poolName) {
        String name = poolName + ":connection-adder";
        int woken = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                t.interrupt();
                woken++;
            }
        }
        return woken;
    }

    /** The port's refusal, if it refuses; a timeout or any other failure is no answer about the server. */
    private Optional<java.net.ConnectException> portRefusal() {
        try {
            connectToPort();
            return Optional.empty();
        } catch (java.net.ConnectException e) {
            return Optional.of(e);
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private boolean portAccepts() {
        try {
            connectToPort();
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** A bare TCP connect to the server's port, closed at once (PostgreSQL logs nothing for one that sends nothing). */
    private void connectToPort() throws java.io.IOException {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(settings.host(), settings.port()), PORT_WATCH_MILLIS);
        }
    }

    static boolean isAuthFailure(SQLException e) {
        return anyCause(e, t -> sqlState(t).startsWith("28"));
    }

    private String explain(SQLException e, boolean authFailure) {
        String root = rootMessage(e);
        if (authFailure) {
            return "PostgreSQL refused the credentials of user \"" + settings.user() + "\" (" + root
                    + "): fix the password (PGPASSWORD, password_command or ~/.pgpass) or pg_hba.conf";
        }
        return root;
    }

    /**
     * The most useful words in an exception chain: the deepest SQLException (pgjdbc's own explanation rather than
     * Hikari's "request timed out"), plus the underlying cause when it adds something ("Connection refused").
     */
    static String rootMessage(Throwable e) {
        String sql = null;
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException && t.getMessage() != null) {
                sql = t.getMessage().strip();
            }
            root = t;
        }
        String rootText = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().strip();
        if (sql == null) {
            return rootText;
        }
        return root instanceof SQLException || sql.contains(rootText) ? sql : sql + " (" + rootText + ")";
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    private void sleep(Duration d) {
        lock.lock();
        try {
            if (running) {
                wake.await(d.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        probeSoon();
        if (monitor != null) {
            // a probe may be waiting up to the pool's connection timeout for a server that is down: end the wait
            monitor.interrupt();
            monitor.join(Duration.ofSeconds(10));
        }
        if (pool != null) {
            // Hikari's close waits for its adder, which may be asleep in its backoff for up to 5 s while the
            // server is down: close on another thread and keep waking the adder until the close is done.
            Thread closer = Thread.ofPlatform().name("pg-pool-close").start(pool::close);
            while (!closer.join(Duration.ofMillis(50))) {
                wakeConnectionAdders(POOL_NAME);
            }
        }
    }
}
