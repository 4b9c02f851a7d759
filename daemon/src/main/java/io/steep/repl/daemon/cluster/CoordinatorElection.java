package io.steep.repl.daemon.cluster;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * The election rule of upstream's data model, as a pure function: among healthy nodes the highest priority wins,
 * ties go to the lexicographically smallest node id.
 *
 * <p>One refinement: the sitting coordinator stays eligible while merely <em>degraded</em>. Upstream re-elects
 * when the coordinator becomes unreachable or offline, or when a better node becomes healthy; a slow reply is
 * neither, and moving the role on every latency spike would make it flap.
 *
 * <p>What this does not do: agree across nodes. Each node applies the rule to its own table; under a partition
 * each side sees the other unreachable and elects its own coordinator (see docs/cluster.md).
 */
public final class CoordinatorElection {

    private static final Comparator<NodeRecord> RANK = Comparator.comparingInt(NodeRecord::priority).reversed()
            .thenComparing(NodeRecord::nodeId);

    private CoordinatorElection() {
    }

    public static Optional<NodeRecord> choose(Collection<NodeRecord> nodes) {
        return nodes.stream().filter(CoordinatorElection::eligible).min(RANK);
    }

    private static boolean eligible(NodeRecord n) {
        return n.status() == NodeStatus.HEALTHY || (n.coordinator() && n.status() == NodeStatus.DEGRADED);
    }
}
