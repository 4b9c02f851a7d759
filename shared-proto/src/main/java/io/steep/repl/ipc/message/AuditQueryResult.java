package io.steep.repl.ipc.message;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** {@code audit.query} result: {@code total} counts every matching row, not just this page. */
public record AuditQueryResult(List<AuditEntry> entries, long total, @JsonProperty("has_more") boolean hasMore) {
}
