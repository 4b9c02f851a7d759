package io.steep.repl.tray.notify;

import io.steep.repl.tray.traymenu.TrayState;
import javafx.beans.value.ObservableValue;

import java.util.function.Consumer;

/**
 * Raises a desktop notification when the health level changes (not on every tooltip change, and not for the
 * first state after start-up, which the user has not "lost").
 */
public final class HealthNotifier {

    /** What a notification says. */
    public record Notice(TrayState.Level level, String title, String text) {
    }

    private TrayState.Level last;

    public HealthNotifier(ObservableValue<TrayState> state, Consumer<Notice> sink) {
        last = state.getValue() == null ? null : state.getValue().level();
        boolean[] first = {true};
        state.addListener((o, old, now) -> {
            if (now == null || now.level() == last) {
                return;
            }
            TrayState.Level before = last;
            last = now.level();
            if (first[0] && before == TrayState.Level.UNREACHABLE && now.level() != TrayState.Level.UNREACHABLE) {
                // the first connection after start-up is not news
                first[0] = false;
                if (now.level() == TrayState.Level.HEALTHY) {
                    return;
                }
            }
            first[0] = false;
            sink.accept(notice(before, now));
        });
    }

    static Notice notice(TrayState.Level before, TrayState now) {
        String title = switch (now.level()) {
            case HEALTHY -> before == TrayState.Level.UNREACHABLE ? "steep-repl: daemon reachable again" : "steep-repl is healthy again";
            case DEGRADED -> "steep-repl is degraded";
            case UNHEALTHY -> "steep-repl is unhealthy";
            case UNREACHABLE -> "steep-repl daemon not reachable";
        };
        String text = now.reasons().isEmpty() ? "All components report healthy." : String.join("\n", now.reasons());
        return new Notice(now.level(), title, text);
    }
}
