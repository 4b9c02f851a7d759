package io.steep.repl.daemon.cli;

import io.steep.repl.daemon.certs.CertsException;
import io.steep.repl.daemon.certs.TlsMaterial;
import io.steep.repl.daemon.cluster.ClusterJoin;
import io.steep.repl.daemon.cluster.InvalidFieldException;
import io.steep.repl.daemon.cluster.LocalNode;
import io.steep.repl.daemon.cluster.NodeFields;
import io.steep.repl.daemon.cluster.PeerAddress;
import io.steep.repl.daemon.config.ConfigException;
import io.steep.repl.daemon.cluster.PeerTransport.PeerCallException;
import io.steep.repl.daemon.grpc.GrpcPeerTransport;
import io.steep.repl.proto.v1.NodeInfo;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code steep-repl node ...}: cluster membership from the command line. */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Cluster membership.",
        subcommands = NodeCommand.Join.class)
public final class NodeCommand {

    /**
     * {@code steep-repl node join HOST:PORT}: registers this node with a peer over mutual TLS. The node id is the
     * one this node's certificate names (peers refuse any other). The peer records this node and starts sending it
     * heartbeats. This command does not touch the local database; a running daemon records the peer when the
     * peer's first registration or heartbeat arrives, or at once when the daemon joins itself (IPC
     * {@code nodes.join}).
     */
    @Command(name = "join", mixinStandardHelpOptions = true,
            description = "Register this node with a peer (gRPC RegisterNode over mutual TLS).",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:registered", "1:the peer refused or cannot be reached", "2:bad arguments or certificates"})
    public static final class Join implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "HOST:PORT", description = "The peer's gRPC address.")
        String peer;

        @Option(names = "--advertise", required = true, paramLabel = "HOST:PORT",
                description = "Where peers reach this node's gRPC server.")
        String advertise;

        @Option(names = "--node-id", paramLabel = "ID", description = "Default: the id in this node's certificate (required with --insecure).")
        String nodeId;

        @Option(names = "--name", paramLabel = "NAME", description = "Display name (default: the node id).")
        String name;

        @Option(names = "--priority", paramLabel = "1-100", defaultValue = "50",
                description = "Coordinator election priority, higher wins (default ${DEFAULT-VALUE}).")
        int priority;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10")
        int timeoutSeconds;

        @Mixin
        RemoteTlsOptions tls = new RemoteTlsOptions();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            LocalNode self;
            PeerAddress target;
            TlsMaterial material;
            try {
                target = PeerAddress.parse("HOST:PORT", peer);
                PeerAddress me = PeerAddress.parse("--advertise", advertise);
                material = tls.load(spec);
                String id = nodeId;
                if (material != null) {
                    if (id != null && !id.equals(material.nodeId())) {
                        throw new InvalidFieldException("--node-id", "'" + id + "' differs from the certificate's node '"
                                + material.nodeId() + "'; the peer would refuse it");
                    }
                    id = material.nodeId();
                } else if (id == null) {
                    throw new InvalidFieldException("--node-id", "is required with --insecure (there is no certificate to read it from)");
                }
                self = new LocalNode(NodeFields.requireNodeId("--node-id", id), name, me.host(), me.port(),
                        NodeFields.requirePriority("--priority", priority));
            } catch (InvalidFieldException | CertsException e) {
                err.println("steep-repl node join: " + e.getMessage());
                err.flush();
                return 2;
            } catch (ConfigException e) {
                e.problems().forEach(p -> err.println("steep-repl node join: " + p));
                err.flush();
                return 2;
            }
            try (GrpcPeerTransport transport = new GrpcPeerTransport(material)) {
                ClusterJoin.Joined joined = new ClusterJoin(self, transport, Duration.ofSeconds(timeoutSeconds))
                        .announce(target);
                out.printf("registered %s with %s (node %s); coordinator: %s%n", self.nodeId(), target,
                        joined.peerId(), joined.coordinatorId().isEmpty() ? "none yet" : joined.coordinatorId());
                for (NodeInfo n : joined.nodes()) {
                    out.printf("  %-20s %-11s %s:%d priority %d%s%n", n.getNodeId(), n.getStatus(), n.getHost(),
                            n.getPort(), n.getPriority(), n.getIsCoordinator() ? "  (coordinator)" : "");
                }
                out.flush();
                return 0;
            } catch (PeerCallException | ClusterJoin.JoinRefusedException e) {
                err.println("steep-repl node join: " + e.getMessage());
                err.flush();
                return 1;
            }
        }
    }
}
