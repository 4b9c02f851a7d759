package io.steep.repl.daemon.ipc;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** The methods the IPC server answers, by name. Thread-safe; methods may be replaced while serving. */
public final class MethodRegistry {

    private final Map<String, IpcMethod> methods = new ConcurrentHashMap<>();

    /** Adds a method; a second method of the same name is a wiring bug and refused. */
    public MethodRegistry register(IpcMethod method) {
        IpcMethod previous = methods.putIfAbsent(method.name(), method);
        if (previous != null) {
            throw new IllegalStateException("IPC method " + method.name() + " is registered twice; use replace() to swap it");
        }
        return this;
    }

    /** Swaps a registered method (e.g. a NOT_IMPLEMENTED placeholder) for its real implementation. */
    public MethodRegistry replace(IpcMethod method) {
        if (methods.replace(method.name(), method) == null) {
            throw new IllegalStateException("IPC method " + method.name() + " is not registered; use register()");
        }
        return this;
    }

    public Optional<IpcMethod> find(String name) {
        return Optional.ofNullable(methods.get(name));
    }

    public Set<String> names() {
        return new TreeSet<>(methods.keySet());
    }
}
