package io.steep.repl.tray.connection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The tray's one connection to the daemon. Opens a link, subscribes to pushed events, loads the snapshot the
 * windows show, and when the link dies keeps reconnecting with backoff, saying so in {@link DaemonModel}. The
 * daemon is never polled: after the first snapshot everything arrives as events.
 */
public final class DaemonConnection implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DaemonConnection.class.getName());
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** Installing a service or the extension can take a while (systemctl, CREATE EXTENSION on a busy server). */
    public static final Duration LONG_CALL_TIMEOUT = Duration.ofMinutes(2);

    private final DaemonLinkOpener opener;
    private final Backoff backoff;
    private final Executor fx;
    private final DaemonModel model = new DaemonModel();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "steep-tray-reconnect");
        t.setDaemon(true);
        return t;
    });
    private volatile DaemonLink link;
    private volatile boolean closed;
    private ScheduledFuture<?> pendingAttempt;

    /**
     * @param fx runs model updates: {@code Platform::runLater} in the app
     */
    public DaemonConnection(DaemonLinkOpener opener, Backoff backoff, Executor fx) {
        this.opener = opener;
        this.backoff = backoff;
        this.fx = fx;
    }

    public DaemonModel model() {
        return model;
    }

    public String endpoint() {
        return opener.describe();
    }

    public void start() {
        schedule(Duration.ZERO);
    }

    /** Tries now instead of waiting out the backoff (after the user started the daemon). */
    public void reconnectNow() {
        backoff.reset();
        if (link == null) {
            schedule(Duration.ZERO);
        }
    }

    private synchronized void schedule(Duration delay) {
        if (closed) {
            return;
        }
        if (pendingAttempt != null) {
            pendingAttempt.cancel(false);
        }
        pendingAttempt = scheduler.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void attempt() {
        if (closed || link != null) {
            return;
        }
        DaemonLink opened;
        DaemonLink[] self = new DaemonLink[1];
        try {
            opened = opener.open(this::onEvent, () -> onLost(self[0]));
        } catch (IOException e) {
            retryLater("Daemon not reachable at " + opener.describe() + " (" + reason(e) + ")");
            return;
        }
        self[0] = opened;
        link = opened;
        try {
            opened.subscribe(CALL_TIMEOUT).join();
            loadSnapshot(opened);
        } catch (RuntimeException e) {
            DaemonCallException d = DaemonCallException.of(e);
            if (!DaemonCallException.DAEMON_UNREACHABLE.equals(d.code())) {
                // a daemon without events cannot keep the tray current: treat it as not usable and say why
                LOG.log(Level.WARNING, "daemon at {0} refused the session: {1}", new Object[]{opener.describe(), d.getMessage()});
            }
            link = null;
            opened.close();
            retryLater("Connected to " + opener.describe() + " but the session failed: " + d.getMessage());
            return;
        }
        backoff.reset();
        fx.execute(() -> model.connected("Connected to the daemon at " + opener.describe()));
    }

    private void loadSnapshot(DaemonLink l) {
        CompletableFuture<JsonNode> status = l.call("status.get", null, CALL_TIMEOUT);
        CompletableFuture<JsonNode> health = l.call("health.check", null, CALL_TIMEOUT);
        CompletableFuture<JsonNode> nodes = l.call("nodes.list", null, CALL_TIMEOUT);
        // optional parts: an older daemon or a node without certificates must still show the rest
        CompletableFuture<JsonNode> certs = l.call("certs.status", null, CALL_TIMEOUT).exceptionally(t -> null);
        CompletableFuture<JsonNode> service = l.call("service.status", null, CALL_TIMEOUT).exceptionally(t -> null);
        JsonNode s = status.join();
        JsonNode h = health.join();
        List<NodeRow> rows = nodeRows(nodes.exceptionally(t -> null).join());
        JsonNode c = certs.join();
        JsonNode sv = service.join();
        fx.execute(() -> {
            model.status(s);
            model.health(h);
            model.nodes(rows);
            model.certs(c);
            model.service(sv);
        });
    }

    static List<NodeRow> nodeRows(JsonNode result) {
        List<NodeRow> rows = new ArrayList<>();
        if (result != null) {
            result.path("nodes").forEach(n -> rows.add(NodeRow.of(n)));
        }
        return rows;
    }

    private void onEvent(DaemonEvent e) {
        switch (e.event()) {
            case DaemonEvent.STATUS_CHANGED -> fx.execute(() -> model.status(e.data()));
            case DaemonEvent.HEALTH_CHANGED -> fx.execute(() -> model.health(e.data()));
            case DaemonEvent.NODE_CHANGED -> fx.execute(() -> model.nodeChanged(e.data()));
            case DaemonEvent.AUDIT_APPENDED -> fx.execute(model::auditAppended);
            default -> LOG.fine(() -> "ignoring event " + e.event());
        }
    }

    private void onLost(DaemonLink which) {
        if (which == null || link != which) {
            return; // a link we dropped on purpose
        }
        link = null;
        retryLater("Lost the connection to the daemon at " + opener.describe());
    }

    private void retryLater(String why) {
        if (closed) {
            return;
        }
        Duration delay = backoff.next();
        int attempt = backoff.attempts();
        String message = why + ". Reconnecting in " + seconds(delay) + " (attempt " + attempt + ")…";
        fx.execute(() -> model.disconnected(DaemonModel.Link.RECONNECTING, message));
        schedule(delay);
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms < 1000 ? ms + " ms" : (ms % 1000 == 0 ? ms / 1000 + " s" : String.format("%.1f s", ms / 1000.0));
    }

    /** The transport's message already says why and what to do (shared-proto's endpoints word it for users). */
    private static String reason(IOException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /** A call for the windows; fails fast with {@link DaemonCallException#DAEMON_UNREACHABLE} while disconnected. */
    public CompletableFuture<JsonNode> call(String method, JsonNode params) {
        return call(method, params, CALL_TIMEOUT);
    }

    public CompletableFuture<JsonNode> call(String method, JsonNode params, Duration timeout) {
        DaemonLink l = link;
        if (l == null) {
            return CompletableFuture.failedFuture(new DaemonCallException(DaemonCallException.DAEMON_UNREACHABLE,
                    "The daemon is not reachable at " + opener.describe() + ". Start it (or use \"Start bundled daemon\") and try again."));
        }
        return l.call(method, params, timeout);
    }

    /** Re-reads the snapshot (after an action whose effect no event reports, e.g. service.install). */
    public void refresh() {
        DaemonLink l = link;
        if (l != null) {
            Thread.ofVirtual().start(() -> {
                try {
                    loadSnapshot(l);
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "refresh failed", e);
                }
            });
        }
    }

    public boolean isConnected() {
        return link != null;
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        DaemonLink l = link;
        link = null;
        if (l != null) {
            l.close();
        }
    }

    /** For callers that build params. */
    public static ObjectNode params() {
        return io.steep.repl.ipc.IpcJson.mapper().createObjectNode();
    }

    /** Runs on the JavaFX thread (or the executor given) once the call completes. */
    public void then(CompletableFuture<JsonNode> call, Consumer<JsonNode> ok, Consumer<DaemonCallException> failed) {
        call.whenComplete((r, t) -> fx.execute(() -> {
            if (t == null) {
                ok.accept(r);
            } else {
                failed.accept(DaemonCallException.of(t));
            }
        }));
    }
}
