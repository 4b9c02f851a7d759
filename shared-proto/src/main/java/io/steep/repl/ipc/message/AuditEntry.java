package io.steep.repl.ipc.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/**
 * One {@code steep_repl.audit_log} row as {@code audit.query} returns it: upstream's fields, plus
 * {@code error_message} when the audited action failed.
 */
public record AuditEntry(
        long id,
        @JsonProperty("occurred_at") Instant occurredAt,
        String action,
        String actor,
        @JsonProperty("target_type") String targetType,
        @JsonProperty("target_id") String targetId,
        boolean success,
        @JsonProperty("error_message") @JsonInclude(JsonInclude.Include.NON_NULL) String errorMessage) {
}
