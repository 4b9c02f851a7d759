package io.steep.repl.ipc;

/**
 * Every error code an IPC answer can carry. The first six are upstream's ({@code contracts/ipc-messages.md});
 * the others are ours, for the methods steep-repl adds. docs/ipc.md lists the same set — keep them together.
 */
public enum IpcErrorCode {
    /** Malformed JSON, a line that is not a JSON object, a missing/mistyped id or method, an oversized line. */
    INVALID_REQUEST,
    /** No method of that name. */
    METHOD_NOT_FOUND,
    /** The daemon failed while serving the request; details are in the daemon's log, never on the wire. */
    INTERNAL_ERROR,
    /** PostgreSQL cannot be reached right now. */
    NOT_CONNECTED,
    /** The requested node_id is not registered. */
    NODE_NOT_FOUND,
    /** The caller may connect but not run this method (admin methods need root / the daemon's own user). */
    PERMISSION_DENIED,

    // ---- ours ----
    /** The request is well-formed but a parameter has a wrong type or value (e.g. {@code limit} over 1000). */
    INVALID_PARAMS,
    /** The method is part of the protocol but the feature behind it is not built yet. */
    NOT_IMPLEMENTED,
    /** The daemon cannot serve this now (too many connections, component still starting); retry later. */
    UNAVAILABLE,
    /** The thing to create exists already (a CA, a node registration). */
    ALREADY_EXISTS,
    /** The database is reachable but the steep_repl extension is not installed in it. */
    EXTENSION_NOT_INSTALLED,
    /** A file, directory or program the method needs does not exist (CA directory, CSR file, service launcher). */
    NOT_FOUND,
    /** A file exists but its content is unusable: not PEM, wrong type, signature or key mismatch. */
    INVALID_FILE,
    /** A step on this machine failed (a service-manager command, a file write); the message carries its output. */
    OPERATION_FAILED,
    /** service.start/stop/restart/uninstall before service.install. */
    SERVICE_NOT_INSTALLED,
    /** The PostgreSQL server is older than the extension supports (steep_repl needs 18 or later). */
    UNSUPPORTED_VERSION,
    /** The server has no steep_repl extension files (control file / SQL scripts) to install from. */
    EXTENSION_FILES_MISSING,
    /** A peer node could not be reached over gRPC (down, wrong address, TLS refused, timed out). */
    PEER_UNAVAILABLE,
    /** A peer node answered but refused the join (its database is down, identity mismatch, it is this node). */
    PEER_REFUSED;

    /** The code of a wire string, or {@code null} for a code this build does not know (a newer daemon). */
    public static IpcErrorCode fromWire(String code) {
        if (code == null) {
            return null;
        }
        for (IpcErrorCode c : values()) {
            if (c.name().equals(code)) {
                return c;
            }
        }
        return null;
    }
}
