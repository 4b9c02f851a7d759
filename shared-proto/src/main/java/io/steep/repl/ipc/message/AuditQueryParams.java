package io.steep.repl.ipc.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/**
 * {@code audit.query} params: {@code limit} 1..{@value #MAX_LIMIT} (default {@value #DEFAULT_LIMIT}),
 * {@code offset} ≥ 0, {@code action_filter} any number of actions, {@code since} an ISO-8601 instant (inclusive).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditQueryParams(
        Integer limit,
        Integer offset,
        @JsonProperty("action_filter") List<String> actionFilter,
        Instant since) {

    public static final int MAX_LIMIT = 1000;
    public static final int DEFAULT_LIMIT = 100;
}
