package io.steep.repl.tray.connection;

import java.io.IOException;
import java.util.function.Consumer;

/** Opens a {@link DaemonLink}; pushed events go to {@code events}, and {@code lost} runs once when the link dies. */
@FunctionalInterface
public interface DaemonLinkOpener {

    DaemonLink open(Consumer<DaemonEvent> events, Runnable lost) throws IOException;

    /** Where this opener connects, for messages ("daemon not reachable at …"). */
    default String describe() {
        return "the daemon";
    }
}
