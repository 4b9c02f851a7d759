package io.steep.repl.tray.connection;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One open IPC connection to the daemon: requests out, answers and pushed events in. {@link DaemonConnection}
 * owns reconnecting; a link is simply dead once its peer goes away.
 */
public interface DaemonLink extends AutoCloseable {

    /**
     * Sends {@code {"id","method","params"}} and completes with the answer's {@code result}, or exceptionally with
     * {@link DaemonCallException} (an error answer, or the link failing / timing out).
     */
    CompletableFuture<JsonNode> call(String method, JsonNode params, Duration timeout);

    /** {@code events.subscribe} for every event; they go to the opener's event consumer from now on. */
    CompletableFuture<JsonNode> subscribe(Duration timeout);

    @Override
    void close();
}
