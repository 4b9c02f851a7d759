package io.steep.repl.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * A request line: {@code {"id","method","params"}}. {@code params} is always an object here (absent or null on
 * the wire becomes {@code {}}), so handlers never see null.
 */
public record IpcRequest(String id, String method, JsonNode params) {

    public IpcRequest {
        if (params == null || params.isNull() || params.isMissingNode()) {
            params = JsonNodeFactory.instance.objectNode();
        }
    }
}
