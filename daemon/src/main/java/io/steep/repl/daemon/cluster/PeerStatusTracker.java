package io.steep.repl.daemon.cluster;

import java.time.Duration;

/**
 * The status machine of one peer, fed by this node's own heartbeats (pure: no clock, no I/O).
 *
 * <ul>
 *   <li>a reply faster than {@code slowReply} → healthy; slower → degraded; any reply resets the miss count;</li>
 *   <li>{@code unreachableAfter} consecutive misses → unreachable (fewer misses leave the status as it was: one
 *       lost packet is not news);</li>
 *   <li>offline is set by an administrator only and nothing here leaves it; {@link #adopt} follows the database
 *       when the administrator changes it back.</li>
 * </ul>
 */
public final class PeerStatusTracker {

    /** A status change, or the same status twice when nothing changed. */
    public record Transition(NodeStatus from, NodeStatus to) {
        public boolean changed() {
            return from != to;
        }
    }

    private final int unreachableAfter;
    private final Duration slowReply;
    private NodeStatus status;
    private int misses;
    private Duration lastRoundTrip;

    public PeerStatusTracker(NodeStatus initial, int unreachableAfter, Duration slowReply) {
        if (unreachableAfter < 1) {
            throw new IllegalArgumentException("unreachableAfter must be at least 1");
        }
        this.status = initial;
        this.unreachableAfter = unreachableAfter;
        this.slowReply = slowReply;
    }

    public synchronized Transition onReply(Duration roundTrip) {
        NodeStatus before = status;
        lastRoundTrip = roundTrip;
        if (status == NodeStatus.OFFLINE) {
            return new Transition(before, before);
        }
        misses = 0;
        status = roundTrip.compareTo(slowReply) < 0 ? NodeStatus.HEALTHY : NodeStatus.DEGRADED;
        return new Transition(before, status);
    }

    public synchronized Transition onMiss() {
        NodeStatus before = status;
        if (status == NodeStatus.OFFLINE) {
            return new Transition(before, before);
        }
        misses++;
        if (misses >= unreachableAfter) {
            status = NodeStatus.UNREACHABLE;
        }
        return new Transition(before, status);
    }

    /**
     * Follows a status written by someone else (an administrator setting or clearing offline). The miss count is
     * kept, so adopting does not hide a peer that is still not answering.
     */
    public synchronized void adopt(NodeStatus stored) {
        status = stored;
    }

    public synchronized NodeStatus status() {
        return status;
    }

    public synchronized int consecutiveMisses() {
        return misses;
    }

    /** The last reply's round trip, null before the first reply. */
    public synchronized Duration lastRoundTrip() {
        return lastRoundTrip;
    }
}
