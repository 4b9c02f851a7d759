package io.steep.repl.daemon.grpc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Rate limit for log lines about remote peers (failed handshakes, refused calls; FR-028), so a scanner cannot
 * flood the log: at most one line per source address per {@code window}, and at most {@code globalPerWindow}
 * lines per window in total (a scan from many addresses). Suppressed lines are counted and the count is reported
 * on the next line that gets through for that address. Memory is bounded: at most {@code maxAddresses} entries,
 * oldest evicted first.
 */
public final class PeerLogLimiter {

    /** A line to write now: the message plus how many lines from this address were suppressed before it. */
    public record Permit(long suppressedBefore) {
        public String suffix() {
            return suppressedBefore == 0 ? "" : " (" + suppressedBefore + " similar line(s) from this address suppressed)";
        }
    }

    private static final class Bucket {
        Instant lastLogged;
        long suppressed;
    }

    private final Clock clock;
    private final Duration window;
    private final int globalPerWindow;
    private final int maxAddresses;
    private final Map<String, Bucket> entries;
    private Instant globalWindowStart;
    private int globalCount;
    private long globalSuppressed;

    public PeerLogLimiter(Clock clock, Duration window, int globalPerWindow, int maxAddresses) {
        this.clock = clock;
        this.window = window;
        this.globalPerWindow = globalPerWindow;
        this.maxAddresses = maxAddresses;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > PeerLogLimiter.this.maxAddresses;
            }
        };
    }

    /** One line per address per minute, 100 lines per minute overall, 10 000 addresses remembered. */
    public static PeerLogLimiter standard() {
        return new PeerLogLimiter(Clock.systemUTC(), Duration.ofMinutes(1), 100, 10_000);
    }

    /** Whether a line about {@code address} may be written now. */
    public synchronized Optional<Permit> tryAcquire(String address) {
        Instant now = clock.instant();
        if (globalWindowStart == null || !now.isBefore(globalWindowStart.plus(window))) {
            globalWindowStart = now;
            globalCount = 0;
        }
        Bucket e = entries.computeIfAbsent(address, a -> new Bucket());
        boolean addressAllows = e.lastLogged == null || !now.isBefore(e.lastLogged.plus(window));
        if (!addressAllows || globalCount >= globalPerWindow) {
            e.suppressed++;
            globalSuppressed++;
            return Optional.empty();
        }
        globalCount++;
        e.lastLogged = now;
        long before = e.suppressed;
        e.suppressed = 0;
        return Optional.of(new Permit(before));
    }

    /** Lines suppressed since start, over all addresses (for metrics). */
    public synchronized long totalSuppressed() {
        return globalSuppressed;
    }
}
