package io.steep.repl.daemon.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.ipc.IpcException;

/**
 * One IPC method. {@link #handle} returns the result (a record, a map or a JsonNode, serialised as the
 * {@code result} object; null becomes {@code {}}) or throws {@link IpcException} with a code and a message that
 * tells the user what to do. Any other exception is answered {@code INTERNAL_ERROR} and logged, never sent.
 * Handlers run on virtual threads, several at once (except {@link #answersFromMemory()} ones).
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

    /**
     * True for methods that only read in-memory snapshots and never block (status.get, health.check): they are
     * answered on the connection's reader thread, one thread hand-off less per call than a virtual thread, which
     * on a busy two-core machine is most of a call's latency. Anything that may wait (SQL, files, the network)
     * must keep the default.
     */
    default boolean answersFromMemory() {
        return false;
    }

    Object handle(JsonNode params, CallContext ctx) throws IpcException;
}
