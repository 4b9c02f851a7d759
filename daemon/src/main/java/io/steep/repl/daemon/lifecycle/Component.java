package io.steep.repl.daemon.lifecycle;

/**
 * A part of the daemon with a start and a stop. Started in an explicit order by {@link ComponentStack} and
 * stopped in the reverse order; {@link #start()} either leaves the component running or throws with a message
 * an operator can act on (it is printed as the daemon's one line of failure).
 */
public interface Component {

    /** Short name for logs and failure messages, e.g. "http", "ipc", "grpc". */
    String name();

    void start() throws Exception;

    /** Stops gracefully: stop accepting, finish in-flight work, release resources. Must be safe to call once after a successful start. */
    void stop() throws Exception;
}
