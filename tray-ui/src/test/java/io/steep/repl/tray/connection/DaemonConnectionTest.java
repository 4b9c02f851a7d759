package io.steep.repl.tray.connection;

import io.steep.repl.testing.IpcAddress;
import io.steep.repl.ipc.IpcErrorCode;
import io.steep.repl.ipc.transport.IpcEndpoint;
import io.steep.repl.tray.testing.FakeDaemon;
import io.steep.repl.tray.testing.Wait;
import io.steep.repl.tray.traymenu.TrayState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The connection against a daemon on a real unix socket: snapshot, pushed events, loss and reconnection. */
class DaemonConnectionTest {

    @TempDir
    Path dir;
    FakeDaemon daemon;
    DaemonConnection connection;
    // stands in for the JavaFX thread: one thread applies every model update, in order
    final ExecutorService fx = Executors.newSingleThreadExecutor();

    @BeforeEach
    void setUp() {
        daemon = new FakeDaemon(dir.resolve("steep-repl.sock"));
        connection = new DaemonConnection(IpcClientLink.opener(IpcEndpoint.of(IpcAddress.of(daemon.socket()))),
                new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)), fx);
    }

    @AfterEach
    void tearDown() throws Exception {
        connection.close();
        daemon.close();
        fx.shutdownNow();
    }

    DaemonModel model() {
        return connection.model();
    }

    @Test
    void loadsTheSnapshotAfterSubscribingAndFollowsPushedEvents() throws Exception {
        daemon.start();
        connection.start();
        Wait.until("connected with nodes", () -> model().linkProperty().get() == DaemonModel.Link.CONNECTED && model().nodes().size() == 3);
        assertThat(daemon.calls().getFirst().method()).isEqualTo("events.subscribe");
        assertThat(model().statusProperty().get().path("version").asText()).isEqualTo("0.1.0");
        assertThat(model().trayStateProperty().get().level()).isEqualTo(TrayState.Level.HEALTHY);

        daemon.push("node.changed", FakeDaemon.json().put("change", "updated")
                .set("node", FakeDaemon.node("node-b", "Replica", "10.0.2.11", 90, true, Instant.now(), "unreachable")));
        // the event named a new coordinator: the old one's mark goes, and the peer problem shows in the tray state
        Wait.until("node-b updated and the only coordinator", () -> model().nodes().stream()
                .filter(NodeRow::coordinator).map(n -> n.nodeId() + "/" + n.status()).toList().equals(java.util.List.of("node-b/unreachable")));
        Wait.until("tray amber", () -> model().trayStateProperty().get().level() == TrayState.Level.DEGRADED);

        daemon.push("health.changed", FakeDaemon.health("unhealthy"));
        Wait.until("tray red", () -> model().trayStateProperty().get().level() == TrayState.Level.UNHEALTHY);

        daemon.push("node.changed", FakeDaemon.json().put("change", "removed")
                .set("node", FakeDaemon.node("node-c", "", "", 1, false, null, "offline")));
        Wait.until("node-c removed", () -> model().nodes().size() == 2);

        long before = model().auditVersionProperty().get();
        daemon.push("audit.appended", FakeDaemon.json().put("id", 121).put("action", "node.updated"));
        Wait.until("audit version bumped", () -> model().auditVersionProperty().get() == before + 1);
        // no polling: after the snapshot, only the events above reached the tray
        assertThat(daemon.count("status.get")).isEqualTo(1);
    }

    @Test
    void saysItIsReconnectingWhileTheDaemonIsDownAndRecoversWhenItComesBack() throws Exception {
        connection.start();
        Wait.until("reconnecting", () -> model().linkProperty().get() == DaemonModel.Link.RECONNECTING);
        assertThat(model().linkMessageProperty().get()).contains(IpcAddress.of(daemon.socket()), "Reconnecting in");
        assertThat(model().trayStateProperty().get().level()).isEqualTo(TrayState.Level.UNREACHABLE);
        assertThatThrownBy(() -> connection.call("status.get", null).join())
                .cause().isInstanceOf(DaemonCallException.class)
                .extracting(e -> ((DaemonCallException) e).code()).isEqualTo(DaemonCallException.DAEMON_UNREACHABLE);

        daemon.start();
        Wait.until("connected", () -> model().linkProperty().get() == DaemonModel.Link.CONNECTED);

        // every message the tray shows, in order: the next retry's message can replace "Lost…" within 50 ms, before
        // a poll would see it (one run in 150 on a loaded machine)
        java.util.List<String> shown = new java.util.concurrent.CopyOnWriteArrayList<>();
        fx.submit(() -> model().linkMessageProperty().addListener((o, was, now) -> shown.add(now))).get();
        daemon.stop(); // like a daemon killed: the link drops without a goodbye
        Wait.until("lost", () -> model().linkProperty().get() == DaemonModel.Link.RECONNECTING);
        Wait.until("said so", () -> shown.stream().anyMatch(m -> m.startsWith("Lost the connection")));
        long subscribedBefore = daemon.count("events.subscribe");
        daemon.start();
        Wait.until("reconnected", () -> model().linkProperty().get() == DaemonModel.Link.CONNECTED);
        Wait.until("snapshot reloaded", () -> daemon.count("status.get") >= 2);
        // a fresh subscription on the new connection, so events flow again (what counts is that they flow: a
        // reconnect attempt that raced the restart may have subscribed once more)
        assertThat(daemon.count("events.subscribe")).isGreaterThan(subscribedBefore);
        long before = model().auditVersionProperty().get();
        daemon.push("audit.appended", FakeDaemon.json().put("id", 7).put("action", "node.updated"));
        Wait.until("an event after the reconnect", () -> model().auditVersionProperty().get() == before + 1);
    }

    @Test
    void errorAnswersKeepTheirCodeAndMessage() throws Exception {
        daemon.on("service.start", FakeDaemon.fail(IpcErrorCode.PERMISSION_DENIED, "starting the system service needs root"));
        daemon.start();
        connection.start();
        Wait.until("connected", connection::isConnected);
        assertThatThrownBy(() -> connection.call("service.start", null).join()).cause()
                .isInstanceOf(DaemonCallException.class)
                .hasMessage("starting the system service needs root")
                .extracting(e -> ((DaemonCallException) e).code()).isEqualTo("PERMISSION_DENIED");
        // the connection survives an error answer
        assertThat(connection.call("status.get", null).join().path("state").asText()).isEqualTo("running");
    }

    @Test
    void aDaemonThatRefusesTheSubscriptionIsRetriedNotHalfUsed() throws Exception {
        daemon.on("events.subscribe", FakeDaemon.fail(IpcErrorCode.UNAVAILABLE, "too many subscribers"));
        daemon.start();
        connection.start();
        Wait.until("reported", () -> model().linkMessageProperty().get().contains("too many subscribers"));
        assertThat(model().linkProperty().get()).isEqualTo(DaemonModel.Link.RECONNECTING);
        daemon.on("events.subscribe", p -> FakeDaemon.json().putArray("subscribed"));
        Wait.until("connected once the daemon accepts", connection::isConnected);
    }
}
