package io.steep.repl.daemon.faults;

import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.condition.DisabledOnOs;
import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.lifecycle.Daemon;
import io.steep.repl.ipc.IpcJson;
import io.steep.repl.ipc.IpcMethods;
import io.steep.repl.ipc.LineReader;
import io.steep.repl.ipc.client.IpcClient;
import io.steep.repl.testing.PgServer;
import io.steep.repl.testing.RealPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, hostile IPC clients against the real daemon: slowloris, half-open connections and thousands of connects.
 * A well-behaved client keeps being answered throughout, and the daemon's connections and threads come back down.
 */
@ExtendWith(RealPostgres.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "raw clients on the JDK's unix-domain channels (half-close, garbage bytes); the daemon serves a named pipe on Windows")
class HostileIpcClientsTest {

    @TempDir
    static Path dir;
    private DaemonConfig config;
    private Daemon daemon;
    private Path socket;

    @BeforeAll
    void start(PgServer pg) throws Exception {
        config = FaultDaemons.config(dir, pg, FaultDaemons.database(pg, "hostile"), null, Map.of());
        daemon = FaultDaemons.start(config);
        socket = Path.of(config.ipc().path());
    }

    @AfterAll
    void stop() {
        daemon.stop();
    }

    private SocketChannel raw() throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return ch;
    }

    private static void write(SocketChannel ch, String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** A polite client calling status.get over and over while {@code running}; counts answers, fails on any error. */
    private Future<Integer> politeClient(ExecutorService pool, AtomicBoolean running) {
        return pool.submit(() -> {
            int answered = 0;
            long giveUp = System.nanoTime() + Duration.ofSeconds(90).toNanos(); // bounded even if a test forgets to stop it
            try (IpcClient c = FaultDaemons.ipc(config)) {
                while (running.get() && System.nanoTime() < giveUp) {
                    JsonNode s = c.call(IpcMethods.STATUS_GET, null, FaultDaemons.T);
                    assertThat(s.path("state").asText()).isEqualTo("running");
                    answered++;
                    Thread.sleep(20);
                }
            }
            // and a fresh connection still gets in
            assertThat(FaultDaemons.call(config, IpcMethods.HEALTH_CHECK).has("components")).isTrue();
            return answered;
        });
    }

    /** The daemon's own gauge, as a monitoring system would read it; -1 when it cannot be read. */
    private double connectionsNow() {
        try {
            String metrics = FaultDaemons.http(daemon, "/metrics").body();
            return metrics.lines().filter(l -> l.startsWith("steep_repl_ipc_connections"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void slowlorisClientsDoNotStopOthersBeingAnswered() throws Exception {
        List<SocketChannel> slow = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            slow.add(raw());
        }
        AtomicBoolean running = new AtomicBoolean(true);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Integer> polite = politeClient(pool, running);
            byte[] request = "{\"id\":\"slow\",\"method\":\"status.get\"}".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 15; i++) { // one byte per connection every 200 ms, never a newline
                for (SocketChannel ch : slow) {
                    ch.write(ByteBuffer.wrap(request, i, 1));
                }
                Thread.sleep(200);
            }
            running.set(false);
            assertThat(polite.get()).as("status.get answers while 20 slowloris clients trickle").isGreaterThan(20);
        } finally {
            running.set(false);
            for (SocketChannel ch : slow) {
                ch.close();
            }
        }
        FaultDaemons.await(Duration.ofSeconds(10), "slowloris connections released", () -> connectionsNow() == 0);
    }

    @Test
    void halfOpenAndAbandonedConnectionsDoNotStopOthersBeingAnswered() throws Exception {
        List<SocketChannel> abandoned = new ArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Integer> polite = politeClient(pool, running);
            for (int i = 0; i < 30; i++) {
                SocketChannel silent = raw(); // connects, never sends, never reads
                abandoned.add(silent);
                SocketChannel deaf = raw(); // sends requests, never reads the answers
                write(deaf, "{\"id\":\"d\",\"method\":\"status.get\"}\n".repeat(50));
                abandoned.add(deaf);
                SocketChannel halfClosed = raw(); // sends half a request and shuts its write side
                write(halfClosed, "{\"id\":\"h\",\"meth");
                halfClosed.shutdownOutput();
                abandoned.add(halfClosed);
                try (SocketChannel rude = raw()) { // sends a request and vanishes before the answer
                    write(rude, "{\"id\":\"r\",\"method\":\"health.check\"}\n");
                }
            }
            Thread.sleep(500);
            running.set(false);
            assertThat(polite.get()).isGreaterThan(5);
        } finally {
            running.set(false);
            for (SocketChannel ch : abandoned) {
                ch.close();
            }
        }
        FaultDaemons.await(Duration.ofSeconds(15), "abandoned connections released", () -> connectionsNow() == 0);
    }

    @Test
    void thousandsOfConnectsLeakNothingAndTheConnectionLimitAnswersClearly() throws Exception {
        int baselineThreads = ManagementFactory.getThreadMXBean().getThreadCount();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger connects = new AtomicInteger();
        AtomicInteger backlogFull = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             ExecutorService storm = Executors.newFixedThreadPool(4)) { // platform threads: a blocking connect waits for the backlog
            Future<Integer> polite = politeClient(pool, running);
            try {
                List<Future<?>> storms = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    storms.add(storm.submit(() -> {
                        for (int i = 0; i < 750; i++) {
                            try (SocketChannel ch = raw()) {
                                if (i % 3 == 0) {
                                    write(ch, "{\"id\":\"x\",\"method\":\"status.get\"}\n");
                                }
                            } catch (java.net.SocketException busy) {
                                backlogFull.incrementAndGet(); // EAGAIN: the listen backlog is full; a client retries
                                Thread.sleep(1);
                                i--;
                                continue;
                            }
                            connects.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : storms) {
                    f.get();
                }
            } finally {
                running.set(false);
            }
            assertThat(polite.get()).isPositive();
        }
        assertThat(connects).hasValue(3000);
        FaultDaemons.await(Duration.ofSeconds(20), "connections back to 0", () -> connectionsNow() == 0);
        FaultDaemons.await(Duration.ofSeconds(20), "threads back near " + baselineThreads,
                () -> ManagementFactory.getThreadMXBean().getThreadCount() <= baselineThreads + 5);

        // the connection limit: a client holding every slot gets the rest refused with a clear answer, not a hang
        List<SocketChannel> held = new ArrayList<>();
        try {
            for (int i = 0; i < 128; i++) {
                held.add(raw());
            }
            FaultDaemons.await(Duration.ofSeconds(10), "128 connections served", () -> connectionsNow() == 128);
            try (SocketChannel extra = raw()) {
                LineReader.Line line = new LineReader(Channels.newInputStream(extra)).next();
                assertThat(line).isInstanceOf(LineReader.Complete.class);
                JsonNode refusal = IpcJson.mapper().readTree(((LineReader.Complete) line).bytes());
                assertThat(refusal.at("/error/code").asText()).isEqualTo("UNAVAILABLE");
                assertThat(refusal.at("/error/message").asText()).contains("128").contains("retry");
            }
        } finally {
            for (SocketChannel ch : held) {
                ch.close();
            }
        }
        FaultDaemons.await(Duration.ofSeconds(10), "slots free again", () -> connectionsNow() == 0);
        assertThat(FaultDaemons.call(config, IpcMethods.STATUS_GET).path("state").asText()).isEqualTo("running");
    }
}
