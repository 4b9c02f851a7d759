package io.steep.repl.daemon.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.ipc.IpcErrorCode;
import io.steep.repl.ipc.IpcException;
import io.steep.repl.ipc.IpcMethods;

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

    private static final String SERVICE = "service management (install/start/stop the daemon as a system service)";
    private static final String CERTS = "certificate management (cluster CA, node certificates, CSRs)";
    private static final String EXTENSION = "extension management (install/upgrade steep_repl in the configured database)";
    private static final String JOIN = "cluster join (registering with a remote node over gRPC)";

    public static final List<Pending> PENDING = List.of(
            new Pending(IpcMethods.SERVICE_STATUS, SERVICE, IpcMethod.Access.ANY_ADMITTED),
            new Pending(IpcMethods.SERVICE_INSTALL, SERVICE, IpcMethod.Access.PRIVILEGED),
            new Pending(IpcMethods.SERVICE_UNINSTALL, SERVICE, IpcMethod.Access.PRIVILEGED),
            new Pending(IpcMethods.SERVICE_START, SERVICE, IpcMethod.Access.PRIVILEGED),
            new Pending(IpcMethods.SERVICE_STOP, SERVICE, IpcMethod.Access.PRIVILEGED),
            new Pending(IpcMethods.SERVICE_RESTART, SERVICE, IpcMethod.Access.PRIVILEGED),
            new Pending(IpcMethods.CERTS_STATUS, CERTS, IpcMethod.Access.ANY_ADMITTED),
            new Pending(IpcMethods.CERTS_INIT_CA, CERTS, IpcMethod.Access.PRIVILEGED),
            new Pending(IpcMethods.CERTS_ISSUE_NODE, CERTS, IpcMethod.Access.PRIVILEGED),
            new Pending(IpcMethods.CERTS_CREATE_CSR, CERTS, IpcMethod.Access.PRIVILEGED),
            new Pending(IpcMethods.CERTS_SIGN_CSR, CERTS, IpcMethod.Access.PRIVILEGED),
            new Pending(IpcMethods.EXTENSION_STATUS, EXTENSION, IpcMethod.Access.ANY_ADMITTED),
            new Pending(IpcMethods.EXTENSION_INSTALL, EXTENSION, IpcMethod.Access.PRIVILEGED),
            new Pending(IpcMethods.NODES_JOIN, JOIN, IpcMethod.Access.PRIVILEGED));

    private NotImplementedMethods() {
    }

    static void registerAll(MethodRegistry registry) {
        PENDING.forEach(registry::register);
    }
}
