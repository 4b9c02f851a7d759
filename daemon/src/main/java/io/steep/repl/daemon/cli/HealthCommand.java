package io.steep.repl.daemon.cli;

import io.steep.repl.daemon.certs.CertsException;
import io.steep.repl.ipc.JsonTrees;
import io.steep.repl.daemon.certs.TlsMaterial;
import io.steep.repl.daemon.cluster.InvalidFieldException;
import io.steep.repl.daemon.config.ConfigException;
import io.steep.repl.daemon.cluster.PeerAddress;
import io.steep.repl.daemon.cluster.PeerTransport.PeerCallException;
import io.steep.repl.daemon.grpc.GrpcPeerTransport;
import io.steep.repl.proto.v1.ComponentHealth;
import io.steep.repl.proto.v1.HealthCheckRequest;
import io.steep.repl.proto.v1.HealthCheckResponse;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code steep-repl health --remote HOST:PORT [--json]}: calls a node's {@code Coordinator.HealthCheck} over
 * mutual TLS with this node's certificate. Exit 0 only when the node answers SERVING.
 */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = "Ask a steep-repl node whether it is serving (gRPC HealthCheck over mutual TLS).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the node is SERVING", "1:the node is NOT_SERVING, or cannot be reached",
                        "2:bad arguments or unusable certificate files"})
public final class HealthCommand implements Callable<Integer> {

    public static final int SERVING = 0;
    public static final int NOT_SERVING = 1;
    public static final int USAGE = 2;

    @Option(names = "--remote", required = true, paramLabel = "HOST:PORT", description = "The node's gRPC address.")
    String remote;

    @Option(names = "--json", description = "Print the answer as JSON.")
    boolean json;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5", description = "Give up after this long (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Mixin
    RemoteTlsOptions tls = new RemoteTlsOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PeerAddress peer;
        TlsMaterial material;
        try {
            peer = PeerAddress.parse("--remote", remote);
            if (timeoutSeconds < 1 || timeoutSeconds > 600) {
                throw new InvalidFieldException("--timeout", "must be between 1 and 600 seconds");
            }
            material = tls.load(spec);
        } catch (InvalidFieldException | CertsException e) {
            err.println("steep-repl health: " + e.getMessage());
            return USAGE;
        } catch (ConfigException e) {
            e.problems().forEach(p -> err.println("steep-repl health: " + p));
            return USAGE;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("remote", peer.toString());
        int exit;
        try (GrpcPeerTransport transport = new GrpcPeerTransport(material)) {
            HealthCheckResponse r = transport.health(peer, HealthCheckRequest.getDefaultInstance(),
                    Duration.ofSeconds(timeoutSeconds));
            result.put("status", r.getStatus().name());
            result.put("node_id", r.getNodeId());
            result.put("node_name", r.getNodeName());
            result.put("version", r.getVersion());
            if (r.hasUptimeSince()) {
                result.put("uptime_since", Instant.ofEpochSecond(r.getUptimeSince().getSeconds(),
                        r.getUptimeSince().getNanos()).toString());
            }
            Map<String, Object> components = new LinkedHashMap<>();
            for (Map.Entry<String, ComponentHealth> c : r.getComponentsMap().entrySet()) {
                components.put(c.getKey(), Map.of("healthy", c.getValue().getHealthy(), "status",
                        c.getValue().getStatus(), "message", c.getValue().getMessage()));
            }
            result.put("components", components);
            result.put("tls", material != null);
            exit = r.getStatus() == HealthCheckResponse.ServingStatus.SERVING ? SERVING : NOT_SERVING;
        } catch (PeerCallException e) {
            result.put("status", "UNREACHABLE");
            result.put("error", e.getMessage());
            exit = NOT_SERVING;
        }
        if (json) {
            out.println(JsonTrees.pretty(JsonTrees.valueOf(result)));
        } else if (result.containsKey("error")) {
            err.println("steep-repl health: " + result.get("error"));
        } else {
            out.printf("%s: %s (node %s \"%s\", version %s)%n", peer, result.get("status"), result.get("node_id"),
                    result.get("node_name"), result.get("version"));
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> comps = (Map<String, Map<String, Object>>) result.get("components");
            comps.forEach((name, c) -> out.printf("  %-11s %s  %s%n", name, c.get("status"), c.get("message")));
        }
        out.flush();
        err.flush();
        return exit;
    }
}
