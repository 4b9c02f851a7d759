package io.steep.repl.daemon.cluster;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterSettingsTest {

    private static ClusterSettings every(Duration interval, int misses) {
        return new ClusterSettings(List.of(), interval, misses, null, null);
    }

    @Test
    void derivedDurationsAreExactMultiplesOfTheInterval() {
        ClusterSettings s = every(Duration.ofMillis(1500), 3);
        assertThat(s.slowReply()).isEqualTo(Duration.ofMillis(750));
        assertThat(s.detectionBound()).isEqualTo(Duration.ofSeconds(6));
        assertThat(s.joinDeadline()).isEqualTo(Duration.ofMillis(7500));

        ClusterSettings odd = every(Duration.ofNanos(50_000_001), 1);
        assertThat(odd.slowReply()).isEqualTo(Duration.ofNanos(25_000_000));
        assertThat(odd.detectionBound()).isEqualTo(Duration.ofNanos(100_000_002));
    }

    @Test
    void aJoinGetsAtLeastFiveSecondsWithAShortInterval() {
        assertThat(every(Duration.ofMillis(100), 3).joinDeadline()).isEqualTo(Duration.ofSeconds(5));
        assertThat(every(Duration.ofMinutes(5), 1000).joinDeadline()).isEqualTo(Duration.ofMinutes(25));
        assertThat(every(Duration.ofMinutes(5), 1000).detectionBound()).isEqualTo(Duration.ofMinutes(5 * 1001));
    }

    @Test
    void outOfRangeSettingsAreRefusedBeforeAnythingIsDerived() {
        assertThatThrownBy(() -> every(Duration.ofMinutes(6), 3)).hasMessageContaining("cluster.heartbeat_interval");
        assertThatThrownBy(() -> every(Duration.ofSeconds(1), 1001)).hasMessageContaining("cluster.unreachable_after");
    }
}
