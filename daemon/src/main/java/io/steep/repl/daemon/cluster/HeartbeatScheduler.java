package io.steep.repl.daemon.cluster;

import io.steep.repl.daemon.cluster.PostgresProbe.PostgresState;
import io.steep.repl.proto.v1.HeartbeatRequest;
import io.steep.repl.proto.v1.HeartbeatResponse;
import io.steep.repl.proto.v1.NodeStatus;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code heartbeat_interval}: refresh this node's own row, join configured peers not yet known, send
 * {@code Heartbeat} to every known peer in parallel (each with the interval as its deadline), feed the answers to
 * each peer's {@link PeerStatusTracker}, write status changes to {@code steep_repl.nodes}, and re-run the
 * coordinator election. Ticks run at a fixed rate, one at a time: a slow database delays the next tick instead of
 * piling ticks up. Joins of configured peers run on their own virtual threads.
 */
public final class HeartbeatScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatScheduler.class);

    /** What status.get, /health and the tray show about the cluster. */
    public record ClusterView(int clusterSize, Optional<String> coordinatorId, boolean isCoordinator,
                              boolean postgresConnected, Instant updatedAt) {
        static ClusterView initial() {
            return new ClusterView(1, Optional.empty(), false, false, null);
        }
    }

    private record Probe(NodeRecord peer, HeartbeatResponse reply, Duration roundTrip, String failure) {
    }

    private final LocalNode self;
    private final ClusterSettings settings;
    private final NodeRepository repository;
    private final PeerTransport transport;
    private final PostgresProbe postgres;
    private final Consumer<PostgresState> postgresListener;
    private final ClusterJoin join;
    private final Map<String, PeerStatusTracker> trackers = new ConcurrentHashMap<>();
    /** Last failure logged per subject; a repeated identical failure is not logged again every second. */
    private final Map<String, String> lastFailure = new ConcurrentHashMap<>();
    /** Configured peers with a join in flight: joins run beside the ticks so a dead peer cannot stall heartbeats. */
    private final Set<PeerAddress> joining = ConcurrentHashMap.newKeySet();
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
    private final ProcessCpu cpu = new ProcessCpu();
    private volatile ScheduledExecutorService timer;
    private volatile ClusterView view = ClusterView.initial();
    /** Set by {@link #close()}: failures from then on are the stop's own interrupts, not news worth a WARN. */
    private volatile boolean closing;

    public HeartbeatScheduler(LocalNode self, ClusterSettings settings, NodeRepository repository,
                              PeerTransport transport, PostgresProbe postgres, Consumer<PostgresState> postgresListener) {
        this.self = self;
        this.settings = settings;
        this.repository = repository;
        this.transport = transport;
        this.postgres = postgres;
        this.postgresListener = postgresListener == null ? s -> { } : postgresListener;
        // a first contact includes a TLS handshake and two calls: give it more than a heartbeat's deadline
        this.join = new ClusterJoin(self, transport, settings.joinDeadline());
    }

    public synchronized void start() {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("steep-repl-heartbeat").daemon()
                .factory());
        long period = settings.heartbeatInterval().toMillis();
        // fixed rate: one heartbeat per interval, not interval + tick time; a late tick runs at once, never twice
        timer.scheduleAtFixedRate(this::safeTick, 0, period, TimeUnit.MILLISECONDS);
        LOG.info("cluster: heartbeats every {} to {} configured peer(s); unreachable after {} misses",
                settings.heartbeatInterval(), settings.peers().size(), settings.unreachableAfter());
    }

    @Override
    public synchronized void close() {
        closing = true;
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timer = null;
        }
        calls.shutdownNow();
    }

    public ClusterView view() {
        return view;
    }

    /** The in-memory status machine of {@code nodeId}, if it is a known peer. */
    public Optional<PeerStatusTracker> tracker(String nodeId) {
        return Optional.ofNullable(trackers.get(nodeId));
    }

    private void safeTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            // a tick must never kill the schedule
            logOnce("tick", "cluster: heartbeat round failed: " + e);
        }
    }

    /** One round; public so tests can drive it step by step. */
    public void tick() {
        PostgresState pg = postgres.check();
        postgresListener.accept(pg);
        if (!pg.connected()) {
            view = new ClusterView(view.clusterSize(), view.coordinatorId(), view.isCoordinator(), false, Instant.now());
            logOnce("postgresql", "cluster: PostgreSQL is not reachable (" + pg.message()
                    + "); heartbeats and election pause until it is back");
            return;
        }
        lastFailure.remove("postgresql");
        try {
            repository.upsertSelf(self);
            List<NodeRecord> rows = repository.list();
            joinConfiguredPeers(rows);
            List<NodeRecord> peers = rows.stream().filter(n -> !n.nodeId().equals(self.nodeId())).toList();
            trackers.keySet().retainAll(peers.stream().map(NodeRecord::nodeId).toList());
            List<Probe> probes = heartbeatAll(peers, pg);
            for (Probe p : probes) {
                record(p);
            }
            NodeRepository.ElectionOutcome outcome = repository.elect();
            if (outcome.changed()) {
                LOG.info("cluster: coordinator elected: {} (was {})", outcome.current().orElse("none"),
                        outcome.previous().orElse("none"));
            }
            view = new ClusterView(rows.size(), outcome.current(),
                    outcome.current().map(self.nodeId()::equals).orElse(false), true, Instant.now());
            lastFailure.remove("database");
        } catch (SQLException e) {
            logOnce("database", "cluster: cannot read or write steep_repl.nodes: " + e.getMessage());
        }
    }

    private void joinConfiguredPeers(List<NodeRecord> rows) {
        Set<PeerAddress> known = new HashSet<>();
        rows.forEach(r -> known.add(r.address()));
        for (PeerAddress peer : settings.peers()) {
            if (known.contains(peer) || peer.equals(self.address()) || !joining.add(peer)) {
                continue;
            }
            calls.submit(() -> {
                try {
                    ClusterJoin.Joined joined = join.join(peer, repository);
                    LOG.info("cluster: joined {} (node {})", peer, joined.peerId());
                    lastFailure.remove("join " + peer);
                } catch (RuntimeException | SQLException e) {
                    logOnce("join " + peer, "cluster: cannot join configured peer " + peer + ": " + e.getMessage()
                            + " (retrying every heartbeat)");
                } finally {
                    joining.remove(peer);
                }
            });
        }
    }

    private List<Probe> heartbeatAll(List<NodeRecord> peers, PostgresState pg) {
        HeartbeatRequest request = HeartbeatRequest.newBuilder().setNodeId(self.nodeId())
                .setNodeStatus(NodeStatus.newBuilder().setPostgresqlConnected(pg.connected())
                        .setPostgresqlVersion(Objects.requireNonNullElse(pg.version(), ""))
                        .setMemoryUsedBytes(Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory())
                        .setCpuPercent(cpu.percent()))
                .build();
        Duration deadline = settings.heartbeatInterval();
        List<Future<Probe>> futures = new ArrayList<>();
        for (NodeRecord peer : peers) {
            PeerStatusTracker tracker = trackers.computeIfAbsent(peer.nodeId(),
                    id -> new PeerStatusTracker(peer.status(), settings.unreachableAfter(), settings.slowReply()));
            if (peer.status() == io.steep.repl.daemon.cluster.NodeStatus.OFFLINE
                    || tracker.status() == io.steep.repl.daemon.cluster.NodeStatus.OFFLINE) {
                tracker.adopt(peer.status()); // follow the administrator, both into and out of offline
            }
            if (peer.status() == io.steep.repl.daemon.cluster.NodeStatus.OFFLINE) {
                continue; // an offline node is out of the cluster until an administrator brings it back
            }
            futures.add(calls.submit(() -> {
                long start = System.nanoTime();
                try {
                    HeartbeatResponse reply = transport.heartbeat(peer.address(), request, deadline);
                    return new Probe(peer, reply, Duration.ofNanos(System.nanoTime() - start), null);
                } catch (RuntimeException e) {
                    return new Probe(peer, null, Duration.ofNanos(System.nanoTime() - start), e.getMessage());
                }
            }));
        }
        List<Probe> out = new ArrayList<>();
        for (Future<Probe> f : futures) {
            try {
                out.add(f.get(deadline.toMillis() * 2 + 1000, TimeUnit.MILLISECONDS));
            } catch (Exception e) {
                // the transport enforces the deadline; this only guards against a stuck call
                f.cancel(true);
            }
        }
        return out;
    }

    private void record(Probe p) throws SQLException {
        PeerStatusTracker tracker = trackers.get(p.peer().nodeId());
        if (tracker == null) {
            return;
        }
        PeerStatusTracker.Transition t = p.reply() != null ? tracker.onReply(p.roundTrip()) : tracker.onMiss();
        if (t.to() == io.steep.repl.daemon.cluster.NodeStatus.OFFLINE) {
            return;
        }
        boolean changed = repository.recordProbe(p.peer().nodeId(), t.to(), p.reply() != null);
        if (t.changed()) {
            if (p.reply() != null) {
                LOG.info("cluster: node {} at {} is {} (was {}; reply in {} ms)", p.peer().nodeId(),
                        p.peer().address(), t.to().sql(), t.from().sql(), p.roundTrip().toMillis());
            } else {
                LOG.warn("cluster: node {} at {} is {} (was {}; {} missed heartbeats, last: {})", p.peer().nodeId(),
                        p.peer().address(), t.to().sql(), t.from().sql(), tracker.consecutiveMisses(), p.failure());
            }
        } else if (!changed && p.reply() == null) {
            LOG.debug("cluster: heartbeat to {} missed: {}", p.peer().nodeId(), p.failure());
        }
        if (p.reply() != null && !p.reply().getAcknowledged()) {
            // the peer does not know us (its table was reset) or cannot write: announce ourselves again
            try {
                join.announce(p.peer().address());
            } catch (RuntimeException e) {
                logOnce("reannounce " + p.peer().nodeId(), "cluster: node " + p.peer().nodeId()
                        + " did not acknowledge our heartbeat and re-registering failed: " + e.getMessage());
            }
        }
    }

    private void logOnce(String subject, String message) {
        if (closing) {
            LOG.debug("while stopping: {}", message);
            return;
        }
        if (!message.equals(lastFailure.put(subject, message))) {
            LOG.warn(message);
        }
    }
}
