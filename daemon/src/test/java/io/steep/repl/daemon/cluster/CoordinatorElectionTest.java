package io.steep.repl.daemon.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CoordinatorElectionTest {

    private static NodeRecord node(String id, int priority, NodeStatus status, boolean coordinator) {
        return new NodeRecord(id, id, "127.0.0.1", 5433, priority, coordinator, null, status);
    }

    @Test
    void highestPriorityHealthyNodeWins() {
        assertThat(CoordinatorElection.choose(List.of(node("a", 10, NodeStatus.HEALTHY, false),
                node("b", 90, NodeStatus.HEALTHY, false), node("c", 50, NodeStatus.HEALTHY, true))))
                .map(NodeRecord::nodeId).contains("b");
    }

    @Test
    void tiesGoToTheSmallestNodeId() {
        assertThat(CoordinatorElection.choose(List.of(node("node-c", 50, NodeStatus.HEALTHY, false),
                node("node-a", 50, NodeStatus.HEALTHY, false), node("node-b", 50, NodeStatus.HEALTHY, false))))
                .map(NodeRecord::nodeId).contains("node-a");
    }

    @Test
    void unhealthyNodesAreNotEligible() {
        assertThat(CoordinatorElection.choose(List.of(node("a", 100, NodeStatus.UNREACHABLE, true),
                node("b", 99, NodeStatus.OFFLINE, false), node("c", 98, NodeStatus.UNKNOWN, false),
                node("d", 97, NodeStatus.DEGRADED, false), node("e", 1, NodeStatus.HEALTHY, false))))
                .map(NodeRecord::nodeId).contains("e");
    }

    @Test
    void aDegradedSittingCoordinatorKeepsItsEligibility() {
        assertThat(CoordinatorElection.choose(List.of(node("a", 100, NodeStatus.DEGRADED, true),
                node("b", 50, NodeStatus.HEALTHY, false)))).map(NodeRecord::nodeId).contains("a");
        // but a better healthy node still takes over
        assertThat(CoordinatorElection.choose(List.of(node("a", 40, NodeStatus.DEGRADED, true),
                node("b", 50, NodeStatus.HEALTHY, false)))).map(NodeRecord::nodeId).contains("b");
    }

    @Test
    void noEligibleNodeMeansNoWinner() {
        assertThat(CoordinatorElection.choose(List.of(node("a", 100, NodeStatus.UNREACHABLE, false)))).isEmpty();
        assertThat(CoordinatorElection.choose(List.of())).isEmpty();
    }
}
