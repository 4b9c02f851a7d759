package io.steep.repl.ipc.message;

/** {@code nodes.get} result. */
public record NodesGetResult(NodeInfo node) {
}
