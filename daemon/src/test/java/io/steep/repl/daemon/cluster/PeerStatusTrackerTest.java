package io.steep.repl.daemon.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PeerStatusTrackerTest {

    private static final Duration SLOW = Duration.ofMillis(500);

    private static PeerStatusTracker tracker(NodeStatus initial) {
        return new PeerStatusTracker(initial, 3, SLOW);
    }

    @Test
    void fastReplyMakesAnUnknownPeerHealthy() {
        PeerStatusTracker t = tracker(NodeStatus.UNKNOWN);
        PeerStatusTracker.Transition tr = t.onReply(Duration.ofMillis(5));
        assertThat(tr.changed()).isTrue();
        assertThat(tr.to()).isEqualTo(NodeStatus.HEALTHY);
        assertThat(t.lastRoundTrip()).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void slowReplyDegradesAndAFastOneHeals() {
        PeerStatusTracker t = tracker(NodeStatus.HEALTHY);
        assertThat(t.onReply(SLOW).to()).isEqualTo(NodeStatus.DEGRADED);
        assertThat(t.onReply(Duration.ofMillis(600)).changed()).isFalse();
        assertThat(t.onReply(Duration.ofMillis(10)).to()).isEqualTo(NodeStatus.HEALTHY);
    }

    @Test
    void unreachableOnlyAfterTheConfiguredConsecutiveMisses() {
        PeerStatusTracker t = tracker(NodeStatus.HEALTHY);
        assertThat(t.onMiss().to()).isEqualTo(NodeStatus.HEALTHY);
        assertThat(t.onMiss().to()).isEqualTo(NodeStatus.HEALTHY);
        PeerStatusTracker.Transition third = t.onMiss();
        assertThat(third.from()).isEqualTo(NodeStatus.HEALTHY);
        assertThat(third.to()).isEqualTo(NodeStatus.UNREACHABLE);
        assertThat(t.consecutiveMisses()).isEqualTo(3);
    }

    @Test
    void aReplyResetsTheMissCount() {
        PeerStatusTracker t = tracker(NodeStatus.HEALTHY);
        t.onMiss();
        t.onMiss();
        t.onReply(Duration.ofMillis(1));
        t.onMiss();
        t.onMiss();
        assertThat(t.status()).isEqualTo(NodeStatus.HEALTHY);
        assertThat(t.onMiss().to()).isEqualTo(NodeStatus.UNREACHABLE);
        assertThat(t.onReply(Duration.ofMillis(1)).to()).isEqualTo(NodeStatus.HEALTHY);
    }

    @Test
    void offlineSticksThroughRepliesAndMisses() {
        PeerStatusTracker t = tracker(NodeStatus.OFFLINE);
        assertThat(t.onReply(Duration.ofMillis(1)).changed()).isFalse();
        for (int i = 0; i < 5; i++) {
            assertThat(t.onMiss().changed()).isFalse();
        }
        assertThat(t.status()).isEqualTo(NodeStatus.OFFLINE);
        t.adopt(NodeStatus.UNKNOWN); // an administrator brings it back
        assertThat(t.onReply(Duration.ofMillis(1)).to()).isEqualTo(NodeStatus.HEALTHY);
    }

    @Test
    void oneMissIsEnoughWhenConfiguredSo() {
        PeerStatusTracker t = new PeerStatusTracker(NodeStatus.HEALTHY, 1, SLOW);
        assertThat(t.onMiss().to()).isEqualTo(NodeStatus.UNREACHABLE);
    }
}
