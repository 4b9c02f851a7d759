package io.steep.repl.ipc.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** {@code nodes.list} params: {@code status_filter} holds any number of statuses; empty or absent means all. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record NodesListParams(@JsonProperty("status_filter") List<String> statusFilter) {
}
