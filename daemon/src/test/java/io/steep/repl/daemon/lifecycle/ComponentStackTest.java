package io.steep.repl.daemon.lifecycle;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComponentStackTest {

    private final List<String> events = new ArrayList<>();

    private Component component(String name, boolean failStart, boolean failStop) {
        return new Component() {
            @Override public String name() { return name; }
            @Override public void start() throws Exception {
                events.add("start " + name);
                if (failStart) throw new java.io.IOException(name + " exploded");
            }
            @Override public void stop() throws Exception {
                events.add("stop " + name);
                if (failStop) throw new IllegalStateException("stuck");
            }
        };
    }

    @Test
    void startsInOrderAndStopsInReverse() throws Exception {
        ComponentStack stack = new ComponentStack(List.of(component("a", false, false), component("b", false, false), component("c", false, false)));
        stack.start();
        assertThat(stack.stop()).isTrue();
        assertThat(events).containsExactly("start a", "start b", "start c", "stop c", "stop b", "stop a");
        assertThat(stack.stop()).isTrue();
        assertThat(events).hasSize(6); // nothing stopped twice
    }

    @Test
    void failureStopsTheStartedOnesAndNamesTheComponent() {
        ComponentStack stack = new ComponentStack(List.of(component("a", false, false), component("b", false, true),
                component("c", true, false), component("d", false, false)));
        assertThatThrownBy(stack::start).isInstanceOf(StartupException.class).hasMessage("c: c exploded");
        assertThat(events).containsExactly("start a", "start b", "start c", "stop b", "stop a");
    }

    @Test
    void startupExceptionMessageIsPassedThroughAsIs() {
        ComponentStack stack = new ComponentStack(List.of(new Component() {
            @Override public String name() { return "http"; }
            @Override public void start() throws StartupException { throw new StartupException("HTTP port 127.0.0.1:8080 is already in use"); }
            @Override public void stop() { }
        }));
        assertThatThrownBy(stack::start).hasMessage("HTTP port 127.0.0.1:8080 is already in use");
    }
}
