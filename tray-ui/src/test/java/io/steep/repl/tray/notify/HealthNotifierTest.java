package io.steep.repl.tray.notify;

import io.steep.repl.tray.traymenu.TrayState;
import javafx.beans.property.SimpleObjectProperty;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HealthNotifierTest {

    static TrayState state(TrayState.Level l, String... reasons) {
        return new TrayState(l, "t", List.of(reasons));
    }

    @Test
    void notifiesOnLevelChangesOnlyAndNotForTheFirstHealthyConnection() {
        SimpleObjectProperty<TrayState> s = new SimpleObjectProperty<>(TrayState.unreachable("starting"));
        List<HealthNotifier.Notice> got = new ArrayList<>();
        new HealthNotifier(s, got::add);
        s.set(state(TrayState.Level.HEALTHY));
        assertThat(got).isEmpty();
        s.set(state(TrayState.Level.HEALTHY)); // same level, new tooltip: no news
        s.set(state(TrayState.Level.DEGRADED, "certificate CN=node-a expires in 3 days"));
        s.set(TrayState.unreachable("lost"));
        s.set(state(TrayState.Level.HEALTHY));
        assertThat(got).extracting(HealthNotifier.Notice::title).containsExactly(
                "steep-repl is degraded", "steep-repl daemon not reachable", "steep-repl: daemon reachable again");
        assertThat(got.getFirst().text()).isEqualTo("certificate CN=node-a expires in 3 days");
    }

    @Test
    void aProblemRightAfterStartIsNews() {
        SimpleObjectProperty<TrayState> s = new SimpleObjectProperty<>(TrayState.unreachable("starting"));
        List<HealthNotifier.Notice> got = new ArrayList<>();
        new HealthNotifier(s, got::add);
        s.set(state(TrayState.Level.UNHEALTHY, "postgresql: disconnected"));
        assertThat(got).extracting(HealthNotifier.Notice::level).containsExactly(TrayState.Level.UNHEALTHY);
    }
}
