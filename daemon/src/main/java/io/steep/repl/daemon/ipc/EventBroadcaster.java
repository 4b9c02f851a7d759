package io.steep.repl.daemon.ipc;

import io.steep.repl.ipc.IpcEvent;
import io.steep.repl.ipc.IpcJson;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pushes events to every connection that called {@code events.subscribe}. {@link #publish} never blocks: each
 * subscriber has its own bounded queue, and one that falls behind is disconnected (its client reconnects and
 * resubscribes) rather than slowing the daemon or the other subscribers.
 */
public final class EventBroadcaster {

    private final Map<ConnectionSession, Set<String>> subscribers = new ConcurrentHashMap<>();

    /**
     * Publishes {@code {"event":event,"data":data}} to subscribers of {@code event}. Components call this on
     * changes: {@link IpcEvent#STATUS_CHANGED}, {@link IpcEvent#HEALTH_CHANGED}, {@link IpcEvent#NODE_CHANGED},
     * {@link IpcEvent#AUDIT_APPENDED}.
     *
     * @return how many subscribers it was queued for
     */
    public int publish(String event, Object data) {
        if (subscribers.isEmpty()) {
            return 0;
        }
        byte[] line = IpcJson.line(new IpcEvent(event, data == null ? null : IpcJson.tree(data)));
        int delivered = 0;
        for (Map.Entry<ConnectionSession, Set<String>> e : subscribers.entrySet()) {
            if (e.getValue().contains(event) && e.getKey().push(line)) {
                delivered++;
            }
        }
        return delivered;
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    void add(ConnectionSession session, Set<String> events) {
        session.markSubscribed();
        subscribers.merge(session, Set.copyOf(events), (a, b) -> {
            Set<String> u = new java.util.HashSet<>(a);
            u.addAll(b);
            return Set.copyOf(u);
        });
        if (session.isClosed()) {
            subscribers.remove(session); // closed while we were adding: do not keep it
        }
    }

    void remove(ConnectionSession session) {
        subscribers.remove(session);
    }
}
