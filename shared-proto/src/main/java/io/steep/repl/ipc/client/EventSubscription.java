package io.steep.repl.ipc.client;

import io.steep.repl.ipc.IpcEvent;
import io.steep.repl.ipc.IpcException;
import io.steep.repl.ipc.transport.IpcEndpoint;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A long-lived event feed: connects, subscribes, and when the daemon goes away (restart, upgrade) reconnects
 * with exponential backoff (with jitter, capped) and subscribes again, until {@link #close}. The tray uses it so
 * it never has to poll.
 */
public final class EventSubscription implements AutoCloseable {

    /** Receives events and connection state changes, on the subscription's threads. */
    public interface Listener {
        void onEvent(IpcEvent event);

        default void onConnected(List<String> subscribed) {
        }

        default void onDisconnected(String reason, Duration retryIn) {
        }
    }

    private final IpcEndpoint endpoint;
    private final List<String> events;
    private final Listener listener;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Thread loop;
    private volatile boolean stopped;
    private volatile IpcClient current;

    private EventSubscription(IpcEndpoint endpoint, List<String> events, Listener listener, Duration initialBackoff, Duration maxBackoff) {
        this.endpoint = endpoint;
        this.events = List.copyOf(events);
        this.listener = listener;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.loop = Thread.ofPlatform().daemon().name("ipc-event-subscription").unstarted(this::run);
    }

    /** Starts the feed with 200 ms → 10 s backoff. */
    public static EventSubscription start(IpcEndpoint endpoint, List<String> events, Listener listener) {
        return start(endpoint, events, listener, Duration.ofMillis(200), Duration.ofSeconds(10));
    }

    public static EventSubscription start(IpcEndpoint endpoint, List<String> events, Listener listener, Duration initialBackoff, Duration maxBackoff) {
        EventSubscription s = new EventSubscription(endpoint, events, listener, initialBackoff, maxBackoff);
        s.loop.start();
        return s;
    }

    private void run() {
        Duration backoff = initialBackoff;
        while (!stopped) {
            String reason;
            try (IpcClient client = IpcClient.connect(endpoint, Duration.ofSeconds(5))) {
                current = client;
                List<String> subscribed = client.subscribe(events, listener::onEvent, Duration.ofSeconds(10));
                backoff = initialBackoff;
                listener.onConnected(subscribed);
                reason = client.closedFuture().join();
            } catch (IpcException e) {
                reason = e.code() + ": " + e.getMessage();
            } catch (IOException e) {
                reason = e.getMessage();
            } finally {
                current = null;
            }
            if (stopped) {
                return;
            }
            // full jitter keeps many trays from reconnecting in lockstep after a daemon restart
            Duration wait = Duration.ofMillis(backoff.toMillis() / 2 + ThreadLocalRandom.current().nextLong(backoff.toMillis() / 2 + 1));
            listener.onDisconnected(reason, wait);
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
        }
    }

    @Override
    public void close() {
        stopped = true;
        IpcClient c = current;
        if (c != null) {
            c.close();
        }
        loop.interrupt();
    }
}
