package io.steep.repl.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.ipc.message.AuditEntry;
import io.steep.repl.ipc.message.AuditQueryResult;
import io.steep.repl.ipc.message.EventsSubscribeResult;
import io.steep.repl.ipc.message.HealthResult;
import io.steep.repl.ipc.message.NodeInfo;
import io.steep.repl.ipc.message.NodesGetResult;
import io.steep.repl.ipc.message.NodesListResult;
import io.steep.repl.ipc.message.StatusResult;

import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The request and answer envelopes, the pushed event and the results of the methods clients call routinely
 * ({@code status.get}, {@code health.check}, {@code nodes.*}, {@code audit.query}, {@code events.subscribe}), built
 * field by field through Jackson's tree model instead of its record serialisation.
 *
 * <p>Why: the first {@code status.get} is what every client of a starting daemon asks first (the tray, {@code
 * steep-repl status}, a readiness probe), and in a fresh JVM Jackson built its record serialisers for it — reflection
 * over five annotated records — while both cores were busy starting the daemon: ~40 ms of CPU, and the answer came
 * ~100 ms after the connection was accepted. Built by hand, the first answer left 31–48 ms sooner
 * (docs/benchmarks.md). And a daemon that answers only these never loads the data binding at all ({@link JsonTrees}).
 * The records keep their annotations, which the tray reads them with; {@code AnswerTreesTest} holds the output
 * byte for byte to what Jackson writes from them, so the two cannot drift apart.
 */
final class AnswerTrees {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AnswerTrees() {
    }

    /** {@code {"id","result"}} or {@code {"id","error":{"code","message"}}}, as {@link IpcResponse} declares it. */
    static ObjectNode response(IpcResponse r) {
        ObjectNode n = NODES.objectNode();
        n.put("id", r.id()); // always, null too (an unreadable request's id)
        if (r.result() != null) {
            n.set("result", r.result());
        }
        if (r.error() != null) {
            ObjectNode e = n.putObject("error");
            e.put("code", r.error().code());
            e.put("message", r.error().message());
        }
        return n;
    }

    /** As {@link StatusResult} declares it: nulls written, except inside {@code postgresql} and {@code grpc}. */
    static ObjectNode status(StatusResult s) {
        ObjectNode n = NODES.objectNode();
        n.put("state", s.state());
        n.put("pid", s.pid());
        n.put("uptime_seconds", s.uptimeSeconds());
        n.put("start_time", iso(s.startTime()));
        n.put("version", s.version());
        nested(n, "postgresql", s.postgresql(), (p, pg) -> {
            p.put("connected", pg.connected());
            putIfSet(p, "version", pg.version());
            putIfSet(p, "host", pg.host());
            if (pg.port() != null) {
                p.put("port", pg.port());
            }
        });
        nested(n, "grpc", s.grpc(), (g, grpc) -> {
            g.put("listening", grpc.listening());
            if (grpc.port() != null) {
                g.put("port", grpc.port());
            }
            g.put("tls_enabled", grpc.tlsEnabled());
            putIfSet(g, "cert_not_after", iso(grpc.certNotAfter()));
            if (grpc.certDaysLeft() != null) {
                g.put("cert_days_left", grpc.certDaysLeft());
            }
        });
        nested(n, "node", s.node(), (l, node) -> {
            l.put("node_id", node.nodeId());
            l.put("node_name", node.nodeName());
            l.put("is_coordinator", node.isCoordinator());
            l.put("cluster_size", node.clusterSize());
        });
        return n;
    }

    /** A nested record: {@code null} when absent (the parent record writes nulls), its fields otherwise. */
    private static <T> void nested(ObjectNode parent, String field, T value, BiConsumer<ObjectNode, T> fields) {
        if (value == null) {
            parent.putNull(field);
        } else {
            fields.accept(parent.putObject(field), value);
        }
    }

    private static void putIfSet(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    /** ISO-8601 in UTC, as Jackson's {@code InstantSerializer} writes without WRITE_DATES_AS_TIMESTAMPS. */
    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }

    /** {@code {"id","method","params"}}, as {@link IpcRequest} declares it (a client's line). */
    static ObjectNode request(IpcRequest r) {
        ObjectNode n = NODES.objectNode();
        n.put("id", r.id());
        n.put("method", r.method());
        n.set("params", r.params());
        return n;
    }

    /** {@code {"event","data"}}, as {@link IpcEvent} declares it (a null {@code data} written). */
    static ObjectNode event(IpcEvent e) {
        ObjectNode n = NODES.objectNode();
        n.put("event", e.event());
        n.set("data", e.data()); // set() writes a null as JSON null
        return n;
    }

    /** As {@link HealthResult} declares it: each component without its null fields. */
    static ObjectNode health(HealthResult h) {
        ObjectNode n = NODES.objectNode();
        n.put("status", h.status());
        if (h.components() == null) {
            n.putNull("components");
            return n;
        }
        ObjectNode components = n.putObject("components");
        h.components().forEach((name, c) -> {
            if (c == null) {
                components.putNull(name);
                return;
            }
            ObjectNode o = components.putObject(name);
            o.put("healthy", c.healthy());
            putIfSet(o, "status", c.status());
            if (c.latencyMs() != null) {
                o.put("latency_ms", c.latencyMs());
            }
            putIfSet(o, "message", c.message());
        });
        return n;
    }

    /** As {@link NodeInfo} declares it: every field, nulls too. */
    static ObjectNode node(NodeInfo i) {
        ObjectNode n = NODES.objectNode();
        n.put("node_id", i.nodeId());
        n.put("node_name", i.nodeName());
        n.put("host", i.host());
        n.put("port", i.port());
        n.put("priority", i.priority());
        n.put("is_coordinator", i.isCoordinator());
        n.put("last_seen", iso(i.lastSeen()));
        n.put("status", i.status());
        return n;
    }

    static ObjectNode nodeResult(NodesGetResult r) {
        ObjectNode n = NODES.objectNode();
        n.set("node", r.node() == null ? NODES.nullNode() : node(r.node()));
        return n;
    }

    static ObjectNode nodes(NodesListResult r) {
        ObjectNode n = NODES.objectNode();
        n.set("nodes", array(r.nodes(), AnswerTrees::node));
        n.put("coordinator_id", r.coordinatorId());
        return n;
    }

    /** As {@link AuditEntry} declares it: {@code error_message} only when set. */
    static ObjectNode audit(AuditEntry e) {
        ObjectNode n = NODES.objectNode();
        n.put("id", e.id());
        n.put("occurred_at", iso(e.occurredAt()));
        n.put("action", e.action());
        n.put("actor", e.actor());
        n.put("target_type", e.targetType());
        n.put("target_id", e.targetId());
        n.put("success", e.success());
        putIfSet(n, "error_message", e.errorMessage());
        return n;
    }

    static ObjectNode audit(AuditQueryResult r) {
        ObjectNode n = NODES.objectNode();
        n.set("entries", array(r.entries(), AnswerTrees::audit));
        n.put("total", r.total());
        n.put("has_more", r.hasMore());
        return n;
    }

    static ObjectNode subscribed(EventsSubscribeResult r) {
        ObjectNode n = NODES.objectNode();
        n.set("subscribed", array(r.subscribed(), NODES::textNode));
        return n;
    }

    /** A list as Jackson writes it: null as null, null elements as null. */
    private static <T> JsonNode array(List<T> list, Function<T, JsonNode> element) {
        if (list == null) {
            return NODES.nullNode();
        }
        ArrayNode a = NODES.arrayNode(list.size());
        list.forEach(x -> a.add(x == null ? NODES.nullNode() : element.apply(x)));
        return a;
    }

    /**
     * For {@link IpcJson#tree}: trees as they are, the shapes built here (every result the daemon answers or
     * pushes routinely), or null for Jackson to serialise.
     */
    static JsonNode treeOrNull(Object value) {
        return switch (value) {
            case JsonNode n -> n;
            case StatusResult s -> status(s);
            case HealthResult h -> health(h);
            case NodeInfo i -> node(i);
            case NodesGetResult r -> nodeResult(r);
            case NodesListResult r -> nodes(r);
            case AuditEntry e -> audit(e);
            case AuditQueryResult r -> audit(r);
            case EventsSubscribeResult r -> subscribed(r);
            case null, default -> null;
        };
    }
}
