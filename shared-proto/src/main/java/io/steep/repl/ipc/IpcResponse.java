package io.steep.repl.ipc;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * An answer line: {@code {"id","result"}} or {@code {"id","error":{"code","message"}}} — like upstream's Go type,
 * the absent half is omitted. {@code id} is null only when the request's id could not be read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IpcResponse(@JsonInclude(JsonInclude.Include.ALWAYS) String id, JsonNode result, IpcError error) {

    public static IpcResponse success(String id, JsonNode result) {
        return new IpcResponse(id, result, null);
    }

    public static IpcResponse failure(String id, IpcErrorCode code, String message) {
        return new IpcResponse(id, null, IpcError.of(code, message));
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isError() {
        return error != null;
    }
}
