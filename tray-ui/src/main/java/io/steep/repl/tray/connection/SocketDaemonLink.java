package io.steep.repl.tray.connection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The JSON-lines protocol over a unix domain socket (JDK sockets). Stands in for shared-proto's
 * {@code io.steep.repl.ipc.client.IpcClient} until that client is merged; {@link DaemonConnection} only sees the
 * {@link DaemonLink} interface, so swapping it is a one-class change.
 */
public final class SocketDaemonLink implements DaemonLink {

    static final ObjectMapper JSON = new ObjectMapper();

    private final SocketChannel channel;
    private final OutputStream out;
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean dead = new AtomicBoolean();
    private final Runnable lost;

    private SocketDaemonLink(SocketChannel channel, Consumer<DaemonEvent> events, Runnable lost) {
        this.channel = channel;
        this.out = Channels.newOutputStream(channel);
        this.lost = lost;
        Thread.ofVirtual().name("steep-tray-ipc-reader").start(() -> readLoop(events));
    }

    public static DaemonLinkOpener opener(Path socket) {
        return new DaemonLinkOpener() {
            @Override
            public DaemonLink open(Consumer<DaemonEvent> events, Runnable lost) throws IOException {
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    ch.connect(UnixDomainSocketAddress.of(socket));
                } catch (IOException e) {
                    ch.close();
                    throw e;
                }
                return new SocketDaemonLink(ch, events, lost);
            }

            @Override
            public String describe() {
                return socket.toString();
            }
        };
    }

    @Override
    public CompletableFuture<JsonNode> call(String method, JsonNode params, Duration timeout) {
        String id = UUID.randomUUID().toString();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        if (dead.get()) {
            answer.completeExceptionally(new DaemonCallException(DaemonCallException.DAEMON_UNREACHABLE, "the connection to the daemon is closed"));
            return answer;
        }
        pending.put(id, answer);
        ObjectNode request = JSON.createObjectNode().put("id", id).put("method", method);
        request.set("params", params == null ? JSON.createObjectNode() : params);
        try {
            byte[] line = (JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
            synchronized (out) {
                out.write(line);
                out.flush();
            }
        } catch (IOException e) {
            pending.remove(id);
            answer.completeExceptionally(new DaemonCallException(DaemonCallException.DAEMON_UNREACHABLE, "sending " + method + " failed: " + e.getMessage()));
            die();
            return answer;
        }
        return answer.orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .exceptionallyCompose(t -> {
                    pending.remove(id);
                    Throwable cause = t instanceof java.util.concurrent.CompletionException ? t.getCause() : t;
                    if (cause instanceof TimeoutException) {
                        return CompletableFuture.failedFuture(new DaemonCallException(DaemonCallException.TIMEOUT,
                                method + " got no answer within " + timeout.toSeconds() + " s"));
                    }
                    return CompletableFuture.failedFuture(cause);
                });
    }

    private void readLoop(Consumer<DaemonEvent> events) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode msg;
                try {
                    msg = JSON.readTree(line);
                } catch (IOException e) {
                    continue; // one unreadable line must not end the session
                }
                if (msg == null || !msg.isObject()) {
                    continue;
                }
                if (msg.has("event") && !msg.has("id")) {
                    events.accept(new DaemonEvent(msg.path("event").asText(), msg.get("data")));
                    continue;
                }
                CompletableFuture<JsonNode> f = pending.remove(msg.path("id").asText());
                if (f == null) {
                    continue;
                }
                JsonNode error = msg.get("error");
                if (error != null && !error.isNull()) {
                    f.completeExceptionally(new DaemonCallException(error.path("code").asText("INTERNAL_ERROR"), error.path("message").asText("")));
                } else {
                    JsonNode result = msg.get("result");
                    f.complete(result == null ? NullNode.instance : result);
                }
            }
        } catch (IOException ignored) {
            // the daemon went away; die() tells the owner
        } finally {
            die();
        }
    }

    private void die() {
        if (dead.compareAndSet(false, true)) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a broken socket
            }
            pending.values().forEach(f -> f.completeExceptionally(
                    new DaemonCallException(DaemonCallException.DAEMON_UNREACHABLE, "the connection to the daemon was lost")));
            pending.clear();
            lost.run();
        }
    }

    @Override
    public void close() {
        die();
    }
}
