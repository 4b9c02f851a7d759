package io.steep.repl.daemon.cluster;

import java.time.Duration;
import java.util.List;

/**
 * The {@code cluster:} section of the config.
 *
 * @param peers              {@code cluster.peers}: gRPC addresses ({@code HOST:PORT}) this node joins at start
 * @param heartbeatInterval  {@code cluster.heartbeat_interval} (default 1 s)
 * @param unreachableAfter   {@code cluster.unreachable_after}: consecutive missed heartbeats (default 3)
 * @param slowReply          {@code cluster.degraded_after}: a reply slower than this marks the peer degraded
 *                           (default: half the interval)
 * @param lastSeenResolution how often at most {@code last_seen} is rewritten for an unchanged status (default
 *                           2 s): fresh enough for "last seen" displays without a write per peer per heartbeat
 *                           (the extension does not audit updates that only move last_seen)
 */
public record ClusterSettings(List<PeerAddress> peers, Duration heartbeatInterval, int unreachableAfter,
                             Duration slowReply, Duration lastSeenResolution) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_UNREACHABLE_AFTER = 3;
    public static final Duration DEFAULT_LAST_SEEN_RESOLUTION = Duration.ofSeconds(2);
    static final Duration MIN_JOIN_DEADLINE = Duration.ofSeconds(5);

    public ClusterSettings {
        peers = List.copyOf(peers == null ? List.of() : peers);
        heartbeatInterval = heartbeatInterval == null ? DEFAULT_INTERVAL : heartbeatInterval;
        if (heartbeatInterval.compareTo(Duration.ofMillis(50)) < 0 || heartbeatInterval.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new InvalidFieldException("cluster.heartbeat_interval",
                    "must be between 50ms and 5m (got " + heartbeatInterval + ")");
        }
        if (unreachableAfter < 1 || unreachableAfter > 1000) {
            throw new InvalidFieldException("cluster.unreachable_after",
                    "must be between 1 and 1000 missed heartbeats (got " + unreachableAfter + ")");
        }
        // halved in nanoseconds, for the reason given at intervals()
        slowReply = slowReply == null ? Duration.ofNanos(heartbeatInterval.toNanos() / 2) : slowReply;
        if (slowReply.isNegative() || slowReply.isZero() || slowReply.compareTo(heartbeatInterval) > 0) {
            throw new InvalidFieldException("cluster.degraded_after",
                    "must be positive and at most cluster.heartbeat_interval (got " + slowReply + ")");
        }
        lastSeenResolution = lastSeenResolution == null ? DEFAULT_LAST_SEEN_RESOLUTION : lastSeenResolution;
        if (lastSeenResolution.isNegative()) {
            throw new InvalidFieldException("cluster.last_seen_resolution", "must not be negative");
        }
    }

    public static ClusterSettings defaults(List<PeerAddress> peers) {
        return new ClusterSettings(peers, DEFAULT_INTERVAL, DEFAULT_UNREACHABLE_AFTER, null, null);
    }

    /** The longest a stopped peer can stay "healthy" in this node's table: misses × interval, plus one interval. */
    public Duration detectionBound() {
        return intervals(unreachableAfter + 1L);
    }

    /**
     * How long a join (first contact: a new mTLS connection and two calls) may take: five intervals, at least 5 s
     * even with a short interval.
     */
    public Duration joinDeadline() {
        Duration five = intervals(5);
        return five.compareTo(MIN_JOIN_DEADLINE) < 0 ? MIN_JOIN_DEADLINE : five;
    }

    /**
     * The interval times n, in nanoseconds (the interval is at most 5 minutes, n at most 1001): Duration's own
     * multipliedBy/dividedBy go through BigDecimal, whose class initialisation alone cost ~40 ms of start-up.
     */
    private Duration intervals(long n) {
        return Duration.ofNanos(Math.multiplyExact(heartbeatInterval.toNanos(), n));
    }
}
