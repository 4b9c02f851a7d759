package io.steep.repl.ipc;

/** The {@code error} object of an answer: {@code {"code","message"}}. */
public record IpcError(String code, String message) {

    public static IpcError of(IpcErrorCode code, String message) {
        return new IpcError(code.name(), message);
    }
}
