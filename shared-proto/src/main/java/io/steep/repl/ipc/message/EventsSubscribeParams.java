package io.steep.repl.ipc.message;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** {@code events.subscribe} params: the event names wanted; empty or absent means all of them. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record EventsSubscribeParams(List<String> events) {
}
