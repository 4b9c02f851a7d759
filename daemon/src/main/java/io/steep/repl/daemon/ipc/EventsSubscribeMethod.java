package io.steep.repl.daemon.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.ipc.IpcEvent;
import io.steep.repl.ipc.IpcException;
import io.steep.repl.ipc.IpcMethods;
import io.steep.repl.ipc.message.EventsSubscribeResult;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code events.subscribe}: from the answer on, the connection also receives {@code {"event","data"}} lines.
 * Calling it again adds events. The subscription ends with the connection.
 */
public record EventsSubscribeMethod(EventBroadcaster broadcaster) implements IpcMethod {

    @Override
    public String name() {
        return IpcMethods.EVENTS_SUBSCRIBE;
    }

    @Override
    public Object handle(JsonNode params, CallContext ctx) throws IpcException {
        List<String> asked = Params.stringList(params, "events");
        for (String e : asked) {
            if (!IpcEvent.ALL.contains(e)) {
                throw Params.invalid("params.events: \"" + e + "\" is not an event; use any of " + IpcEvent.ALL + " (or omit for all)");
            }
        }
        Set<String> events = new LinkedHashSet<>(asked.isEmpty() ? IpcEvent.ALL : asked);
        ConnectionSession session = ctx.session();
        // start pushing only after the answer is queued, so the client sees the answer first
        ctx.afterAnswer(() -> broadcaster.add(session, events));
        return new EventsSubscribeResult(List.copyOf(events));
    }
}
