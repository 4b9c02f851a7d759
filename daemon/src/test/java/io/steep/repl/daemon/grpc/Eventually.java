package io.steep.repl.daemon.grpc;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a condition until it holds; tests assert outcomes within generous timeouts, never speed. */
final class Eventually {

    private Eventually() {
    }

    static Duration await(Duration timeout, String what, Callable<Boolean> condition) throws Exception {
        long start = System.nanoTime();
        long end = start + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < end) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
                last = null;
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not within " + timeout + ": " + what, last);
    }
}
