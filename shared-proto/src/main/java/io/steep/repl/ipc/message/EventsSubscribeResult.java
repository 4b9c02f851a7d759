package io.steep.repl.ipc.message;

import java.util.List;

/** {@code events.subscribe} result: the events this connection will now receive as pushed lines. */
public record EventsSubscribeResult(List<String> subscribed) {
}
