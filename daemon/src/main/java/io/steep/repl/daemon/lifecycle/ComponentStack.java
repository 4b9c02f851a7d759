package io.steep.repl.daemon.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Starts components in the given order and stops them in the reverse order. If one fails to start, the ones
 * already started are stopped (reverse order) and a {@link StartupException} carries one clear line.
 */
public final class ComponentStack {

    private static final Logger log = LoggerFactory.getLogger(ComponentStack.class);

    private final List<Component> components;
    private final Deque<Component> started = new ArrayDeque<>();

    public ComponentStack(List<Component> components) {
        this.components = List.copyOf(components);
    }

    public List<Component> components() {
        return components;
    }

    public synchronized void start() throws StartupException {
        for (Component c : components) {
            try {
                long t0 = System.nanoTime();
                c.start();
                started.push(c);
                // start-up time is a measured figure (bench/run): this line shows where it goes
                log.debug("started {} in {} ms", c.name(), (System.nanoTime() - t0) / 1_000_000);
            } catch (Exception e) {
                String line = e instanceof StartupException ? e.getMessage() : c.name() + ": " + message(e);
                log.error("could not start {}: {}", c.name(), line, e instanceof StartupException ? null : e);
                stop();
                throw new StartupException(line, e);
            }
        }
    }

    /** Stops what was started, newest first. Keeps going when one fails; returns false if any did. */
    public synchronized boolean stop() {
        boolean clean = true;
        while (!started.isEmpty()) {
            Component c = started.pop();
            try {
                log.debug("stopping {}", c.name());
                c.stop();
            } catch (Exception e) {
                clean = false;
                log.warn("{} did not stop cleanly: {}", c.name(), message(e), e);
            }
        }
        return clean;
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
