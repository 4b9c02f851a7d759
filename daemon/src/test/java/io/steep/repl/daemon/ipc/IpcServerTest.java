package io.steep.repl.daemon.ipc;

import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.condition.DisabledOnOs;
import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.ipc.IpcErrorCode;
import io.steep.repl.ipc.IpcEvent;
import io.steep.repl.ipc.IpcException;
import io.steep.repl.ipc.IpcJson;
import io.steep.repl.ipc.IpcMethods;
import io.steep.repl.ipc.client.EventSubscription;
import io.steep.repl.ipc.client.IpcClient;
import io.steep.repl.ipc.message.HealthResult;
import io.steep.repl.ipc.message.StatusResult;
import io.steep.repl.ipc.transport.IpcEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(120)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "raw clients on the JDK's unix-domain channels (half-close, garbage bytes); the daemon serves a named pipe on Windows")
class IpcServerTest {

    private static final Duration T = Duration.ofSeconds(10);

    @TempDir
    Path tmp;
    private Path sock;
    private EventBroadcaster events;
    private MethodRegistry methods;
    private IpcServer server;
    private final AtomicInteger executed = new AtomicInteger();

    /** test.echo returns its params after sleeping params.sleep_ms; test.boom fails inside. */
    private void addTestMethods(MethodRegistry r) {
        r.register(new IpcMethod() {
            public String name() {
                return "test.echo";
            }

            public Object handle(JsonNode params, CallContext ctx) {
                executed.incrementAndGet();
                try {
                    Thread.sleep(params.path("sleep_ms").asLong(0));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return params;
            }
        });
        r.register(new IpcMethod() {
            public String name() {
                return "test.boom";
            }

            public Object handle(JsonNode params, CallContext ctx) {
                throw new IllegalStateException("secret detail /etc/steep/private.key");
            }
        });
    }

    @BeforeEach
    void start() throws Exception {
        sock = tmp.resolve("steep-repl").resolve("ipc.sock");
        events = new EventBroadcaster();
        methods = Fixtures.standard(Fixtures.unreachableDataSource(), events);
        addTestMethods(methods);
        server = Fixtures.server(sock, methods, events, IpcServerOptions.defaults());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private IpcClient client() throws Exception {
        return IpcClient.connect(IpcEndpoint.of(sock.toString()), T);
    }

    @Test
    void statusHealthAndConfigAnswerFromTheirSuppliers() throws Exception {
        try (IpcClient c = client()) {
            assertThat(c.call(IpcMethods.STATUS_GET, null, StatusResult.class, T)).isEqualTo(Fixtures.STATUS);
            JsonNode raw = c.call(IpcMethods.STATUS_GET, Map.of(), T);
            assertThat(raw.path("grpc").path("tls_enabled").asBoolean()).isTrue();
            assertThat(raw.path("node").path("cluster_size").asInt()).isEqualTo(2);
            assertThat(c.call(IpcMethods.HEALTH_CHECK, null, HealthResult.class, T)).isEqualTo(Fixtures.HEALTH);

            JsonNode config = c.call(IpcMethods.CONFIG_GET, null, T);
            assertThat(config.at("/repl/node_id").asText()).isEqualTo("node-a");
            assertThat(config.at("/repl/postgresql/password").asText()).isEqualTo(ConfigGetMethod.REDACTED);
            assertThat(config.at("/repl/postgresql/password_command").asText()).isEqualTo(ConfigGetMethod.REDACTED);
            assertThat(config.at("/repl/grpc/tls/key_file").asText()).isEqualTo("/etc/steep/certs/node.key");
            assertThat(config.toString()).doesNotContain("hunter2");
        }
    }

    @Test
    void aSupplierThatIsNotReadyAnswersUnavailable() throws Exception {
        methods.replace(new SourceMethod(IpcMethods.STATUS_GET, () -> {
            throw new SourceMethod.StateUnavailable("the daemon is still starting; retry in a moment");
        }));
        try (IpcClient c = client()) {
            assertThatThrownBy(() -> c.call(IpcMethods.STATUS_GET, null, T))
                    .isInstanceOfSatisfying(IpcException.class, e -> assertThat(e.errorCode()).isEqualTo(IpcErrorCode.UNAVAILABLE))
                    .hasMessageContaining("still starting");
        }
    }

    @Test
    void unknownMethodsAnswerMethodNotFoundListingTheMethods() throws Exception {
        try (RawClient c = RawClient.connect(sock)) {
            JsonNode a = c.send("{\"id\":\"x1\",\"method\":\"nodes.frobnicate\",\"params\":{}}\n").read();
            assertThat(a.path("id").asText()).isEqualTo("x1");
            assertThat(a.at("/error/code").asText()).isEqualTo("METHOD_NOT_FOUND");
            assertThat(a.at("/error/message").asText()).contains("nodes.frobnicate").contains("status.get");
            assertThat(a.has("result")).isFalse();
        }
    }

    @Test
    void garbageIsAnsweredInvalidRequestAndTheConnectionStaysUsable() throws Exception {
        try (RawClient c = RawClient.connect(sock)) {
            JsonNode a = c.send("this is not json\n").read();
            assertThat(a.at("/error/code").asText()).isEqualTo("INVALID_REQUEST");
            assertThat(a.get("id").isNull()).isTrue();
            assertThat(c.send(new byte[] {(byte) 0xc3, (byte) 0x28, '\n'}).read().at("/error/code").asText()).isEqualTo("INVALID_REQUEST");
            JsonNode noMethod = c.send("{\"id\":\"m1\"}\n").read();
            assertThat(noMethod.path("id").asText()).isEqualTo("m1");
            assertThat(noMethod.at("/error/code").asText()).isEqualTo("INVALID_REQUEST");
            assertThat(c.send("{\"id\":7,\"method\":\"status.get\"}\n").read().at("/error/code").asText()).isEqualTo("INVALID_REQUEST");
            assertThat(c.send("\n   \n{\"id\":\"ok\",\"method\":\"status.get\"}\r\n").read().at("/result/state").asText()).isEqualTo("running");
        }
    }

    @Test
    void aTruncatedLineIsNotRunAndIsAnsweredBeforeTheClose() throws Exception {
        try (RawClient c = RawClient.connect(sock)) {
            c.send("{\"id\":\"t1\",\"method\":\"test.echo\",\"params\":{}}");  // complete JSON, but no newline
            c.shutdownOutput();
            JsonNode a = c.read();
            assertThat(a.at("/error/code").asText()).isEqualTo("INVALID_REQUEST");
            assertThat(a.at("/error/message").asText()).contains("newline");
            assertThat(c.atEnd()).isTrue();
        }
        try (RawClient c = RawClient.connect(sock)) {
            c.send("{\"id\":\"t2\",\"meth");
            c.shutdownOutput();
            assertThat(c.read().at("/error/code").asText()).isEqualTo("INVALID_REQUEST");
            assertThat(c.atEnd()).isTrue();
        }
        assertThat(executed).hasValue(0);
    }

    @Test
    void anOversizedLineIsAnsweredInvalidRequestThenClosed() throws Exception {
        try (RawClient c = RawClient.connect(sock)) {
            byte[] big = new byte[IpcJson.MAX_LINE_BYTES + 1];
            java.util.Arrays.fill(big, (byte) 'a');
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    c.send(big);
                    c.send("\n");
                } catch (Exception ignored) {
                    // the server may close before we finish writing
                }
            });
            JsonNode a = c.read();
            assertThat(a.at("/error/code").asText()).isEqualTo("INVALID_REQUEST");
            assertThat(a.at("/error/message").asText()).contains("1048576");
            assertThat(c.atEnd()).isTrue();
            writer.join();
        }
        // a line of exactly the limit is still read (and here, being garbage, answered and kept open)
        try (RawClient c = RawClient.connect(sock)) {
            byte[] max = new byte[IpcJson.MAX_LINE_BYTES + 1];
            java.util.Arrays.fill(max, (byte) ' ');
            max[0] = 'x';
            max[max.length - 1] = '\n';
            Thread.ofVirtual().start(() -> {
                try {
                    c.send(max);
                } catch (Exception ignored) {
                    // reported by the assertions below
                }
            });
            assertThat(c.read().at("/error/message").asText()).contains("not valid JSON");
            assertThat(c.send("{\"id\":\"after\",\"method\":\"status.get\"}\n").read().path("id").asText()).isEqualTo("after");
        }
    }

    @Test
    void handlerFailuresAnswerInternalErrorWithoutDetails() throws Exception {
        try (IpcClient c = client()) {
            assertThatThrownBy(() -> c.call("test.boom", null, T))
                    .isInstanceOfSatisfying(IpcException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(IpcErrorCode.INTERNAL_ERROR);
                        assertThat(e.getMessage()).contains("daemon's log").doesNotContain("secret").doesNotContain("Exception")
                                .doesNotContain("private.key");
                    });
            assertThat(c.call(IpcMethods.STATUS_GET, null, T).path("pid").asInt()).isEqualTo(4242);
        }
    }

    @Test
    void featuresNotBuiltYetAnswerNotImplementedNamingTheFeature() throws Exception {
        try (IpcClient c = client()) {
            for (NotImplementedMethods.Pending p : NotImplementedMethods.PENDING) {
                assertThatThrownBy(() -> c.call(p.method(), null, T))
                        .as(p.method())
                        .isInstanceOfSatisfying(IpcException.class, e -> assertThat(e.errorCode()).isEqualTo(IpcErrorCode.NOT_IMPLEMENTED))
                        .hasMessageContaining(p.method()).hasMessageContaining(p.feature());
            }
        }
        // every protocol method is registered: nothing falls through to METHOD_NOT_FOUND
        assertThat(methods.names()).containsAll(IpcMethods.ALL);
        // the lead's replacement path
        methods.replace(new SourceMethod(IpcMethods.SERVICE_STATUS, () -> Map.of("installed", false)));
        try (IpcClient c = client()) {
            assertThat(c.call(IpcMethods.SERVICE_STATUS, null, T).path("installed").asBoolean(true)).isFalse();
        }
        assertThatThrownBy(() -> methods.register(new SourceMethod(IpcMethods.SERVICE_STATUS, Map::of))).hasMessageContaining("twice");
    }

    @Test
    void databaseMethodsAnswerNotConnectedWhenPostgresIsDown() throws Exception {
        try (IpcClient c = client()) {
            for (String m : List.of(IpcMethods.NODES_LIST, IpcMethods.AUDIT_QUERY)) {
                assertThatThrownBy(() -> c.call(m, null, T))
                        .isInstanceOfSatisfying(IpcException.class, e -> assertThat(e.errorCode()).isEqualTo(IpcErrorCode.NOT_CONNECTED))
                        .hasMessageContaining("PostgreSQL is not reachable");
            }
            assertThatThrownBy(() -> c.call(IpcMethods.NODES_GET, Map.of("node_id", "a"), T))
                    .isInstanceOfSatisfying(IpcException.class, e -> assertThat(e.errorCode()).isEqualTo(IpcErrorCode.NOT_CONNECTED));
        }
    }

    @Test
    void fiftyPipelinedRequestsInOneWriteAreAllAnsweredByTheirIds() throws Exception {
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            // early requests sleep longest, so answers come back out of order
            batch.append("{\"id\":\"p").append(i).append("\",\"method\":\"test.echo\",\"params\":{\"n\":").append(i)
                    .append(",\"sleep_ms\":").append((50 - i) * 4).append("}}\n");
        }
        try (RawClient c = RawClient.connect(sock)) {
            c.send(batch.toString());
            List<String> order = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                JsonNode a = c.read();
                String id = a.path("id").asText();
                assertThat(a.at("/result/n").asInt()).isEqualTo(Integer.parseInt(id.substring(1)));
                order.add(id);
            }
            assertThat(new HashSet<>(order)).hasSize(50);
        }
    }

    @Test
    void snapshotMethodsAnswerOnTheReaderWhileASlowCallRunsOnTheSameConnection() throws Exception {
        try (RawClient c = RawClient.connect(sock)) {
            // a slow call first, then status.get pipelined behind it: status.get is answered from memory on the
            // reader thread, so it overtakes the slow call instead of queueing behind anything
            c.send("{\"id\":\"slow\",\"method\":\"test.echo\",\"params\":{\"sleep_ms\":1500}}\n"
                    + "{\"id\":\"st\",\"method\":\"status.get\"}\n");
            JsonNode first = c.read();
            assertThat(first.path("id").asText()).isEqualTo("st");
            assertThat(first.at("/result/node/cluster_size").asInt()).isEqualTo(2);
            JsonNode second = c.read();
            assertThat(second.path("id").asText()).isEqualTo("slow");
        }
        // and a snapshot method that fails still answers with its error, on the same path
        methods.replace(new SourceMethod(IpcMethods.STATUS_GET, () -> {
            throw new SourceMethod.StateUnavailable("starting");
        }));
        try (RawClient c = RawClient.connect(sock)) {
            c.send("{\"id\":\"s7\",\"method\":\"status.get\"}\n");
            JsonNode a = c.read();
            assertThat(a.path("id").asText()).isEqualTo("s7");
            assertThat(a.path("error").path("code").asText()).isEqualTo("UNAVAILABLE");
        }
    }

    @Test
    void aHundredConcurrentClientsAreAllServed() throws Exception {
        int n = 100;
        CountDownLatch allConnected = new CountDownLatch(n);
        List<Future<String>> results = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                int k = i;
                results.add(pool.submit(() -> {
                    try (IpcClient c = client()) {
                        allConnected.countDown();
                        allConnected.await(60, TimeUnit.SECONDS); // all 100 connections open at once
                        JsonNode echo = c.call("test.echo", Map.of("k", k), T);
                        StatusResult s = c.call(IpcMethods.STATUS_GET, null, StatusResult.class, T);
                        return echo.path("k").asInt() + ":" + s.state();
                    }
                }));
            }
            Set<String> seen = new HashSet<>();
            for (Future<String> f : results) {
                seen.add(f.get());
            }
            assertThat(seen).hasSize(n).allMatch(s -> s.endsWith(":running"));
        }
    }

    @Test
    void connectionsOverTheCapAreAnsweredUnavailable() throws Exception {
        server.close();
        server = Fixtures.server(sock, methods, events, IpcServerOptions.defaults().withMaxConnections(2));
        try (IpcClient a = client(); IpcClient b = client()) {
            a.call(IpcMethods.STATUS_GET, null, T);
            b.call(IpcMethods.STATUS_GET, null, T);
            try (RawClient third = RawClient.connect(sock)) {
                JsonNode refused = third.read();
                assertThat(refused.at("/error/code").asText()).isEqualTo("UNAVAILABLE");
                assertThat(refused.at("/error/message").asText()).contains("2 IPC connections");
                assertThat(third.atEnd()).isTrue();
            }
            assertThat(a.call(IpcMethods.STATUS_GET, null, T).path("state").asText()).isEqualTo("running");
        }
    }

    @Test
    void idleConnectionsAreClosed() throws Exception {
        server.close();
        server = Fixtures.server(sock, methods, events, IpcServerOptions.defaults().withIdleTimeout(Duration.ofMillis(300)));
        try (RawClient c = RawClient.connect(sock)) {
            assertThat(c.atEnd()).isTrue();
        }
    }

    @Test
    void subscribersReceiveTheEventsTheyAskedForAfterTheAnswer() throws Exception {
        BlockingQueue<IpcEvent> got = new LinkedBlockingQueue<>();
        try (IpcClient c = client(); RawClient raw = RawClient.connect(sock)) {
            assertThat(c.subscribe(List.of(IpcEvent.NODE_CHANGED), got::add, T)).containsExactly(IpcEvent.NODE_CHANGED);
            JsonNode answer = raw.send("{\"id\":\"s\",\"method\":\"events.subscribe\"}\n").read();
            assertThat(answer.path("id").asText()).isEqualTo("s");
            assertThat(answer.at("/result/subscribed")).hasSize(IpcEvent.ALL.size());
            awaitSubscribers(2);

            events.publish(IpcEvent.STATUS_CHANGED, Fixtures.STATUS);
            events.publish(IpcEvent.NODE_CHANGED, Map.of("change", "registered", "node_id", "node-b"));

            IpcEvent e = got.poll(10, TimeUnit.SECONDS);
            assertThat(e.event()).isEqualTo(IpcEvent.NODE_CHANGED);
            assertThat(e.data().path("node_id").asText()).isEqualTo("node-b");
            assertThat(got.poll(200, TimeUnit.MILLISECONDS)).as("status.changed was not asked for").isNull();

            JsonNode first = raw.read();
            assertThat(first.has("id")).isFalse();
            assertThat(first.path("event").asText()).isEqualTo(IpcEvent.STATUS_CHANGED);
            assertThat(first.at("/data/node/node_id").asText()).isEqualTo("node-a");
            assertThat(raw.read().path("event").asText()).isEqualTo(IpcEvent.NODE_CHANGED);

            assertThatThrownBy(() -> c.call(IpcMethods.EVENTS_SUBSCRIBE, Map.of("events", List.of("bogus")), T))
                    .isInstanceOfSatisfying(IpcException.class, ex -> assertThat(ex.errorCode()).isEqualTo(IpcErrorCode.INVALID_PARAMS))
                    .hasMessageContaining("bogus");
        }
        awaitSubscribers(0);
    }

    @Test
    void aSubscriberThatDoesNotReadIsDroppedWithoutStallingOthers() throws Exception {
        server.close();
        server = Fixtures.server(sock, methods, events, IpcServerOptions.defaults().withOutboundQueueLines(4));
        // read with streams while the client's reader thread adds: a synchronizedList's stream is not synchronized
        List<IpcEvent> fastGot = new CopyOnWriteArrayList<>();
        try (IpcClient fast = client(); RawClient slow = RawClient.connect(sock)) {
            fast.subscribe(List.of(), fastGot::add, T);
            slow.send("{\"id\":\"s\",\"method\":\"events.subscribe\"}\n"); // and never reads again
            awaitSubscribers(2);
            String payload = "x".repeat(64 * 1024);
            int published = 0;
            while (events.subscriberCount() == 2 && published < 5000) {
                int n = published++;
                events.publish(IpcEvent.AUDIT_APPENDED, Map.of("n", n, "pad", payload));
                // the fast subscriber keeps up (we wait for it); the slow one's socket buffer and queue fill up
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (fastGot.size() <= n && System.nanoTime() < until) {
                    Thread.sleep(1);
                }
                assertThat(fastGot).as("fast subscriber got event %d", n).hasSizeGreaterThan(n);
            }
            assertThat(events.subscriberCount()).as("the slow subscriber was dropped").isEqualTo(1);
            events.publish(IpcEvent.AUDIT_APPENDED, Map.of("n", -1));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (fastGot.stream().noneMatch(e -> e.data().path("n").asInt() == -1) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(fastGot).anyMatch(e -> e.data().path("n").asInt() == -1);
            assertThat(fast.call(IpcMethods.STATUS_GET, null, T).path("state").asText()).isEqualTo("running");
        }
    }

    @Test
    void anEventSubscriptionReconnectsAfterTheDaemonRestarts() throws Exception {
        BlockingQueue<String> log = new LinkedBlockingQueue<>();
        Map<String, IpcEvent> received = new ConcurrentHashMap<>();
        try (EventSubscription sub = EventSubscription.start(IpcEndpoint.of(sock.toString()), List.of(), new EventSubscription.Listener() {
            public void onEvent(IpcEvent event) {
                received.put(event.data().path("tag").asText(), event);
            }

            public void onConnected(List<String> subscribed) {
                log.add("connected");
            }

            public void onDisconnected(String reason, Duration retryIn) {
                log.add("disconnected");
            }
        }, Duration.ofMillis(50), Duration.ofMillis(400))) {
            assertThat(log.poll(10, TimeUnit.SECONDS)).isEqualTo("connected");
            server.close();
            assertThat(log.poll(10, TimeUnit.SECONDS)).isEqualTo("disconnected");
            events = new EventBroadcaster();
            server = Fixtures.server(sock, Fixtures.standard(Fixtures.unreachableDataSource(), events), events, IpcServerOptions.defaults());
            String next;
            do {
                next = log.poll(20, TimeUnit.SECONDS);
            } while ("disconnected".equals(next));
            assertThat(next).isEqualTo("connected");
            awaitSubscribers(1);
            events.publish(IpcEvent.HEALTH_CHANGED, Map.of("tag", "after-restart"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!received.containsKey("after-restart") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(received).containsKey("after-restart");
        }
    }

    @Test
    void closingTheServerRemovesTheSocket() throws Exception {
        assertThat(sock).exists();
        server.close();
        assertThat(sock).doesNotExist();
        assertThatThrownBy(this::client).hasMessageContaining("does not exist");
    }

    private void awaitSubscribers(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (events.subscriberCount() != n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(events.subscriberCount()).isEqualTo(n);
    }

}
