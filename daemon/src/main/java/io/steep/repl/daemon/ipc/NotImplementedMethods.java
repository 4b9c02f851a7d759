package io.steep.repl.daemon.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.ipc.IpcErrorCode;
import io.steep.repl.ipc.IpcException;

import java.util.List;

/**
 * The one list of protocol methods whose feature has not landed yet. Each answers {@code NOT_IMPLEMENTED} naming
 * the feature. When a feature lands, its real method replaces the placeholder:
 * {@code registry.replace(new ServiceInstallMethod(...))} — and its row is deleted here.
 */
public final class NotImplementedMethods {

    /** A placeholder: which method, which feature brings it, and who will be allowed to call it. */
    public record Pending(String method, String feature, IpcMethod.Access access) implements IpcMethod {
        @Override
        public String name() {
            return method;
        }

        @Override
        public Object handle(JsonNode params, CallContext ctx) throws IpcException {
            throw new IpcException(IpcErrorCode.NOT_IMPLEMENTED, method + " is not available in this build of steep-repl yet: it arrives with "
                    + feature + ". Use the steep-repl command line for this task meanwhile, if it offers it");
        }
    }

    /** Empty: every protocol method has landed (the admin ones through {@link AdminMethods}). */
    public static final List<Pending> PENDING = List.of();

    private NotImplementedMethods() {
    }

    static void registerAll(MethodRegistry registry) {
        PENDING.forEach(registry::register);
    }
}
