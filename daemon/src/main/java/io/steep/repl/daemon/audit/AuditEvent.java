package io.steep.repl.daemon.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One row of {@code steep_repl.audit_log} written by the daemon itself (the extension's triggers write the
 * rows about nodes and coordinator state). {@code eventId} makes the row identifiable: it is stored in
 * {@code new_value->>'event_id'} so a replay after a crash can tell whether the row is already there.
 *
 * @param occurredAt truncated to microseconds, PostgreSQL's timestamp precision, so the stored value equals this one
 * @param details    extra facts, stored as {@code new_value} together with {@code event_id}
 */
public record AuditEvent(UUID eventId, Instant occurredAt, String action, String actor, String targetType,
                         String targetId, Map<String, Object> details, boolean success, String errorMessage) {

    public AuditEvent {
        Objects.requireNonNull(eventId);
        Objects.requireNonNull(action);
        Objects.requireNonNull(actor);
        occurredAt = occurredAt.truncatedTo(ChronoUnit.MICROS);
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public static AuditEvent success(String action, String actor, String targetType, String targetId, Map<String, Object> details) {
        return new AuditEvent(UUID.randomUUID(), Instant.now(), action, actor, targetType, targetId, details, true, null);
    }

    public static AuditEvent failure(String action, String actor, String targetType, String targetId,
                                     Map<String, Object> details, String errorMessage) {
        return new AuditEvent(UUID.randomUUID(), Instant.now(), action, actor, targetType, targetId, details, false, errorMessage);
    }
}
