package io.steep.repl.tray.dashboard;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RelativeTimeTest {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void agesReadLikeAHumanWouldSayThem() {
        assertThat(RelativeTime.since(null, NOW)).isEqualTo("never");
        assertThat(RelativeTime.since(NOW.minusSeconds(2), NOW)).isEqualTo("just now");
        assertThat(RelativeTime.since(NOW.minusSeconds(42), NOW)).isEqualTo("42 s ago");
        assertThat(RelativeTime.since(NOW.minusSeconds(5 * 60 + 59), NOW)).isEqualTo("5 min ago");
        assertThat(RelativeTime.since(NOW.minusSeconds(3 * 3600), NOW)).isEqualTo("3 h ago");
        assertThat(RelativeTime.since(NOW.minusSeconds(2 * 86400 + 5), NOW)).isEqualTo("2 d ago");
        assertThat(RelativeTime.since(NOW.plusSeconds(30), NOW)).isEqualTo("in the future (clock skew)");
    }

    @Test
    void uptimeKeepsTheTwoLargestUnits() {
        assertThat(RelativeTime.duration(12)).isEqualTo("12 s");
        assertThat(RelativeTime.duration(4 * 60 + 2)).isEqualTo("4 min 2 s");
        assertThat(RelativeTime.duration(2 * 3600 + 5 * 60 + 9)).isEqualTo("2 h 5 min");
        assertThat(RelativeTime.duration(93784)).isEqualTo("1 d 2 h");
        assertThat(RelativeTime.duration(-5)).isEqualTo("0 s");
    }
}
