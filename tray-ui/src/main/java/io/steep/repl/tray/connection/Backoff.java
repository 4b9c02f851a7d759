package io.steep.repl.tray.connection;

import java.time.Duration;

/**
 * Reconnect delays: {@code initial}, doubling up to {@code max}, back to {@code initial} after a success. No jitter:
 * one tray talks to one local daemon, so there is no herd to spread.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private Duration next;
    private int attempt;

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " / " + max);
        }
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** The delay before the next attempt; each call doubles the one after, up to max. */
    public synchronized Duration next() {
        Duration d = next;
        attempt++;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return d;
    }

    /** How many delays were handed out since the last reset. */
    public synchronized int attempts() {
        return attempt;
    }

    public synchronized void reset() {
        next = initial;
        attempt = 0;
    }
}
