package io.steep.repl.daemon.db;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": attempt n waits between half and all of min(cap, first·2ⁿ), so a
 * fleet of daemons that lost the same server do not reconnect in lock-step.
 */
public record Backoff(Duration first, Duration cap) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    public Duration delay(int attempt) {
        long ceiling = cap.toMillis();
        long base = first.toMillis() << Math.min(attempt, 20);
        long full = Math.min(ceiling, base <= 0 ? ceiling : base);
        long half = full / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(full - half + 1));
    }
}
