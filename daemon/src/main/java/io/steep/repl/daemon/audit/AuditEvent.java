package io.steep.repl.daemon.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One row of {@code steep_repl.audit_log} written by the daemon itself (the extension's triggers write the
 * rows about nodes and coordinator state). {@code eventId} makes the row identifiable: it is stored in
 * {@code new_value->>'event_id'} so a replay after a crash can tell whether the row is already there.
 *
 * <p>PostgreSQL's {@code text} and {@code jsonb} cannot hold a NUL character, and one event PostgreSQL refuses
 * would hold up every event behind it; NULs in any text of the event (details too, keys and values) become
 * U+FFFD, the replacement character, when the event is made.
 *
 * @param occurredAt truncated to microseconds, PostgreSQL's timestamp precision, so the stored value equals this one
 * @param details    extra facts, stored as {@code new_value} together with {@code event_id}
 */
public record AuditEvent(UUID eventId, Instant occurredAt, String action, String actor, String targetType,
                         String targetId, Map<String, Object> details, boolean success, String errorMessage) {

    public AuditEvent {
        Objects.requireNonNull(eventId);
        action = storable(Objects.requireNonNull(action));
        actor = storable(Objects.requireNonNull(actor));
        occurredAt = occurredAt.truncatedTo(ChronoUnit.MICROS);
        targetType = storable(targetType);
        targetId = storable(targetId);
        errorMessage = storable(errorMessage);
        details = details == null ? Map.of() : Collections.unmodifiableMap(storableMap(details));
    }

    private static String storable(String s) {
        return s == null || s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }

    private static Map<String, Object> storableMap(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(storable(String.valueOf(k)), storableValue(v)));
        return out;
    }

    private static Object storableValue(Object v) {
        return switch (v) {
            case null -> null;
            case String s -> storable(s);
            case Map<?, ?> m -> storableMap(m);
            case Collection<?> c -> c.stream().map(AuditEvent::storableValue).toList();
            case Number n -> n;
            case Boolean b -> b;
            default -> storable(v.toString()); // stored as its text anyway (AuditJson)
        };
    }

    public static AuditEvent success(String action, String actor, String targetType, String targetId, Map<String, Object> details) {
        return new AuditEvent(UUID.randomUUID(), Instant.now(), action, actor, targetType, targetId, details, true, null);
    }

    public static AuditEvent failure(String action, String actor, String targetType, String targetId,
                                     Map<String, Object> details, String errorMessage) {
        return new AuditEvent(UUID.randomUUID(), Instant.now(), action, actor, targetType, targetId, details, false, errorMessage);
    }
}
