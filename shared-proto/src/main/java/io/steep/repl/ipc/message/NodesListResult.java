package io.steep.repl.ipc.message;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** {@code nodes.list} result; {@code coordinator_id} is null when no node holds the role. */
public record NodesListResult(List<NodeInfo> nodes, @JsonProperty("coordinator_id") String coordinatorId) {
}
