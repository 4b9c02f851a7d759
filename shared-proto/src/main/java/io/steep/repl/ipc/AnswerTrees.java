package io.steep.repl.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.ipc.message.StatusResult;

import java.time.Instant;
import java.util.function.BiConsumer;

/**
 * The answer envelope and the {@code status.get} result, built field by field through Jackson's tree model
 * instead of its record serialisation.
 *
 * <p>Why: the first {@code status.get} is what every client of a starting daemon asks first (the tray, {@code
 * steep-repl status}, a readiness probe), and in a fresh JVM Jackson built its record serialisers for it — reflection
 * over five annotated records — while both cores were busy starting the daemon: ~40 ms of CPU, and the answer came
 * ~100 ms after the connection was accepted. Built by hand, the first answer left 31–48 ms sooner
 * (docs/benchmarks.md).
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

    /** For {@link IpcJson#tree}: the shapes built here, or null for Jackson to serialise. */
    static JsonNode treeOrNull(Object value) {
        return value instanceof StatusResult s ? status(s) : null;
    }
}
