package io.steep.repl.daemon.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.ipc.IpcException;

/**
 * One IPC method. {@link #handle} returns the result (a record, a map or a JsonNode, serialised as the
 * {@code result} object; null becomes {@code {}}) or throws {@link IpcException} with a code and a message that
 * tells the user what to do. Any other exception is answered {@code INTERNAL_ERROR} and logged, never sent.
 * Handlers run on virtual threads, several at once.
 */
public interface IpcMethod {

    /** Who may call a method once the connection is admitted. */
    enum Access {
        /** Every admitted peer: root, the daemon's user, members of ipc.allowed_group. */
        ANY_ADMITTED,
        /** Root / SYSTEM / Administrators and the daemon's own user only; group members get PERMISSION_DENIED. */
        PRIVILEGED
    }

    String name();

    default Access access() {
        return Access.ANY_ADMITTED;
    }

    Object handle(JsonNode params, CallContext ctx) throws IpcException;
}
