package io.steep.repl.ipc.message;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code nodes.get} params. */
public record NodesGetParams(@JsonProperty("node_id") String nodeId) {
}
