package io.steep.repl.daemon.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.ipc.JsonTrees;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The audit spool's line format and the {@code new_value} column, written and read field by field through
 * Jackson's tree model.
 *
 * <p>The spool is a durable on-disk format: its field names are spelled out here, so renaming a record component
 * cannot make a spool written by the previous version unreadable. The format is byte for byte what Jackson's record
 * serialisation with the JSR-310 module wrote before ({@code AuditJsonTest} holds both to it). It is also cheaper
 * on every start: building Jackson's record (de)serialisers and the time module cost ~40 ms of CPU in a fresh JVM,
 * and a start writes one event and delivers it; read and written by {@link JsonTrees}, no data binding is loaded.
 */
final class AuditJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AuditJson() {
    }

    /** One spool line, with its newline. */
    static byte[] line(AuditEvent e) throws IOException {
        ObjectNode n = NODES.objectNode();
        n.put("eventId", e.eventId().toString());
        n.put("occurredAt", e.occurredAt().toString()); // ISO-8601, as Jackson's InstantSerializer wrote it
        n.put("action", e.action());
        n.put("actor", e.actor());
        n.put("targetType", e.targetType());
        n.put("targetId", e.targetId());
        n.set("details", JsonTrees.valueOf(e.details()));
        n.put("success", e.success());
        n.put("errorMessage", e.errorMessage());
        return JsonTrees.line(n);
    }

    /** One spool line (without its newline); an IOException names what is wrong with it. */
    static AuditEvent event(byte[] line) throws IOException {
        JsonNode n = JsonTrees.read(line);
        if (n == null || !n.isObject()) {
            throw new IOException("audit spool line is not a JSON object");
        }
        try {
            JsonNode details = n.get("details");
            if (details != null && !details.isNull() && !details.isObject()) {
                throw new IOException("audit spool line: details is not an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> detailsMap = details == null ? null : (Map<String, Object>) value(details);
            return new AuditEvent(UUID.fromString(required(n, "eventId")), Instant.parse(required(n, "occurredAt")),
                    required(n, "action"), required(n, "actor"), text(n, "targetType"), text(n, "targetId"),
                    detailsMap, n.path("success").asBoolean(false), text(n, "errorMessage"));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IOException("audit spool line: " + e.getMessage(), e);
        }
    }

    /** {@code audit_log.new_value}: the event's id, so a replay can tell it was already written, and its details. */
    static String newValue(AuditEvent e) throws IOException {
        ObjectNode n = NODES.objectNode();
        n.put("event_id", e.eventId().toString());
        e.details().forEach((k, v) -> n.set(k, JsonTrees.valueOf(v)));
        return JsonTrees.string(n);
    }

    private static String required(JsonNode n, String field) throws IOException {
        String s = text(n, field);
        if (s == null) {
            throw new IOException("audit spool line without " + field);
        }
        return s;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** As Jackson reads untyped JSON: LinkedHashMap, ArrayList, String, Integer/Long/BigInteger, Double, Boolean. */
    private static Object value(JsonNode n) {
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            n.properties().forEach(e -> m.put(e.getKey(), value(e.getValue())));
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>(n.size());
            n.forEach(x -> l.add(value(x)));
            return l;
        }
        if (n.isNumber()) {
            return n.numberValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        return n.isNull() ? null : n.asText();
    }
}
