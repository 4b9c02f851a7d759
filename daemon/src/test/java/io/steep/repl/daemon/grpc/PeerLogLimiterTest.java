package io.steep.repl.daemon.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class PeerLogLimiterTest {

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void oneLinePerAddressPerWindowAndTheSuppressedCountIsReported() {
        ManualClock clock = new ManualClock();
        PeerLogLimiter limiter = new PeerLogLimiter(clock, Duration.ofMinutes(1), 100, 1000);
        assertThat(limiter.tryAcquire("10.0.0.1")).hasValueSatisfying(p -> assertThat(p.suppressedBefore()).isZero());
        for (int i = 0; i < 500; i++) {
            assertThat(limiter.tryAcquire("10.0.0.1")).isEmpty();
        }
        assertThat(limiter.tryAcquire("10.0.0.2")).isPresent(); // another address is not affected
        clock.now = clock.now.plusSeconds(59);
        assertThat(limiter.tryAcquire("10.0.0.1")).isEmpty();
        clock.now = clock.now.plusSeconds(1);
        assertThat(limiter.tryAcquire("10.0.0.1")).hasValueSatisfying(p -> {
            assertThat(p.suppressedBefore()).isEqualTo(501);
            assertThat(p.suffix()).contains("501");
        });
        assertThat(limiter.totalSuppressed()).isEqualTo(501);
    }

    @Test
    void aScanFromManyAddressesIsCappedGlobally() {
        ManualClock clock = new ManualClock();
        PeerLogLimiter limiter = new PeerLogLimiter(clock, Duration.ofMinutes(1), 10, 1000);
        int written = 0;
        for (int i = 0; i < 1000; i++) {
            if (limiter.tryAcquire("10.0." + (i / 250) + "." + (i % 250)).isPresent()) {
                written++;
            }
        }
        assertThat(written).isEqualTo(10);
        clock.now = clock.now.plusSeconds(60);
        assertThat(limiter.tryAcquire("192.168.1.1")).isPresent();
    }

    @Test
    void memoryIsBoundedByEvictingTheOldestAddress() {
        ManualClock clock = new ManualClock();
        PeerLogLimiter limiter = new PeerLogLimiter(clock, Duration.ofMinutes(1), 1000, 2);
        assertThat(limiter.tryAcquire("a")).isPresent();
        assertThat(limiter.tryAcquire("b")).isPresent();
        assertThat(limiter.tryAcquire("c")).isPresent(); // evicts "a"
        assertThat(limiter.tryAcquire("a")).isPresent(); // forgotten, so allowed again
        assertThat(limiter.tryAcquire("c")).isEmpty();
    }
}
