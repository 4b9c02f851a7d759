package io.steep.repl.daemon.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.ipc.IpcErrorCode;
import io.steep.repl.ipc.IpcException;

import java.util.function.Supplier;

/**
 * A method whose answer is daemon state another component owns: {@code status.get} and {@code health.check}
 * take a {@link Supplier} the daemon wires in one line. A supplier may throw {@link StateUnavailable} while
 * its component starts, which is answered {@code UNAVAILABLE}.
 */
public record SourceMethod(String name, Supplier<?> source) implements IpcMethod {

    /** Thrown by a supplier whose state cannot be given yet (component starting, shutting down). */
    public static final class StateUnavailable extends RuntimeException {
        public StateUnavailable(String message) {
            super(message);
        }
    }

    /** The sources are the daemon's in-memory status and health snapshots. */
    @Override
    public boolean answersFromMemory() {
        return true;
    }

    @Override
    public Object handle(JsonNode params, CallContext ctx) throws IpcException {
        try {
            return source.get();
        } catch (StateUnavailable e) {
            throw new IpcException(IpcErrorCode.UNAVAILABLE, e.getMessage());
        }
    }
}
