package io.steep.repl.ipc;

/**
 * An error answer: a code from {@link IpcErrorCode} and a message for a human (what went wrong, what to do).
 * Thrown by method handlers on the daemon side and by {@code IpcClient.call} on the client side.
 */
public class IpcException extends Exception {

    private final String code;

    public IpcException(IpcErrorCode code, String message) {
        this(code.name(), message, null);
    }

    public IpcException(IpcErrorCode code, String message, Throwable cause) {
        this(code.name(), message, cause);
    }

    /** For codes received from a peer that this build may not know. */
    public IpcException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The code as sent on the wire. */
    public String code() {
        return code;
    }

    /** The code as an enum, or {@code null} when the peer sent a code this build does not know. */
    public IpcErrorCode errorCode() {
        return IpcErrorCode.fromWire(code);
    }

    public IpcError toError() {
        return new IpcError(code, getMessage());
    }
}
