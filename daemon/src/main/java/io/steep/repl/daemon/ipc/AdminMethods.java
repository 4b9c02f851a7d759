package io.steep.repl.daemon.ipc;

import java.util.ArrayList;
import java.util.List;

/**
 * The admin methods ({@code service.*}, {@code certs.*}, {@code extension.*}, {@code nodes.join}). The daemon calls
 * {@link #install} once on the registry {@link StandardMethods} built; a NOT_IMPLEMENTED placeholder of the same
 * name, if any, is replaced. Status methods are open to every admitted peer, the rest are PRIVILEGED.
 */
public final class AdminMethods {

    private AdminMethods() {
    }

    public static void install(MethodRegistry registry, AdminDeps deps) {
        for (IpcMethod m : all(deps)) {
            // replace the placeholder while StandardMethods still registers one, register once it no longer does
            if (registry.find(m.name()).isPresent()) {
                registry.replace(m);
            } else {
                registry.register(m);
            }
        }
    }

    static List<IpcMethod> all(AdminDeps deps) {
        List<IpcMethod> all = new ArrayList<>();
        all.addAll(ServiceMethods.all(deps.service(), deps.clock()));
        all.addAll(CertsMethods.all(deps.config(), deps.clock()));
        all.addAll(ExtensionMethods.all(deps.dataSource(), deps.extensionChanged()));
        all.add(new NodesJoinMethod(deps.config(), deps.join()));
        return all;
    }
}
