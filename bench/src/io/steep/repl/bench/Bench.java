package io.steep.repl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.steep.repl.daemon.audit.AuditEvent;
import io.steep.repl.daemon.certs.ClusterCa;
import io.steep.repl.daemon.certs.NodeCertificateIssuer;
import io.steep.repl.daemon.certs.TlsMaterial;
import io.steep.repl.daemon.cluster.PeerAddress;
import io.steep.repl.daemon.grpc.GrpcPeerTransport;
import io.steep.repl.daemon.grpc.TlsContexts;
import io.steep.repl.proto.v1.CoordinatorGrpc;
import io.steep.repl.proto.v1.HealthCheckRequest;
import io.steep.repl.proto.v1.HealthCheckResponse;
import io.steep.repl.testing.EmbeddedPgServer;
import io.steep.repl.testing.PgServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The steep-repl benchmark driver. Runs in its own JVM (the load generator) and starts PostgreSQL 18 (zonky
 * binaries, through the extension test-jar's harness) and two daemons from the built distribution as separate
 * processes, then measures what a DBA cares about. See docs/benchmarks.md.
 */
public final class Bench {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    final Path repo;
    final Path work;
    final Path launcher;
    final Map<String, Object> results = new LinkedHashMap<>();
    final List<String[]> table = new ArrayList<>();
    final boolean quick;
    /** A step failed after its figures were recorded (results.json is still written); the exit code says so. */
    boolean failed;
    PgServer pg;
    Node a;
    Node b;

    Bench(Path repo, boolean quick) {
        this.repo = repo;
        this.work = repo.resolve("bench/target/work");
        this.launcher = repo.resolve("daemon/target/steep-repl/bin/steep-repl");
        this.quick = quick;
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(System.getProperty("bench.repo", ".")).toAbsolutePath().normalize();
        boolean quick = List.of(args).contains("--quick");
        boolean patroni = !List.of(args).contains("--no-patroni");
        Bench bench = new Bench(repo, quick);
        String only = List.of(args).stream().filter(x -> x.startsWith("--only=")).findFirst()
                .map(x -> x.substring("--only=".length())).orElse(null);
        List<String> unknown = only == null ? List.of() : List.of(only.split(",")).stream().filter(p -> !PHASES.contains(p)).toList();
        if (!unknown.isEmpty()) {
            System.err.println("bench: unknown phase(s) " + String.join(",", unknown) + " in --only; phases are " + String.join(",", PHASES));
            System.exit(2);
        }
        try {
            if (only != null) {
                bench.run(List.of(only.split(",")), false);
            } else if (List.of(args).contains("--health-only")) {
                bench.run(List.of("health"), patroni);
            } else if (List.of(args).contains("--memory-only")) {
                bench.run(List.of("rss"), false);
            } else {
                bench.run(PHASES, patroni);
            }
        } finally {
            bench.teardown();
        }
        System.exit(bench.failed ? 1 : 0);
    }

    // ------------------------------------------------------------------------------------------------ phases

    /** Phase names (for --only), in the order every run takes them. */
    static final List<String> PHASES = List.of("startup", "rss", "health", "ipc", "grpc", "unreachable", "recovery", "audit");

    /**
     * The given phases in {@link #PHASES} order, then Patroni's /health side by side when asked. The full run is
     * all of them; --health-only is {@code health}, --memory-only {@code rss} (idle RSS with the peer healthy, for
     * trying JVM options quickly), --only=… any subset, for checking one change quickly.
     */
    void run(List<String> phases, boolean patroni) throws Exception {
        long t0 = System.nanoTime();
        setup();
        if (phases.contains("startup")) {
            startup();
        }
        startPair();
        if (phases.contains("rss")) {
            rssIdle();
        }
        if (phases.contains("health")) {
            health(a.http, "health", "steep-repl /health");
            machineFloor();
        }
        if (phases.contains("ipc")) {
            ipc();
        }
        if (phases.contains("grpc")) {
            grpc();
        }
        if (phases.contains("unreachable")) {
            detectUnreachable();
        }
        if (phases.contains("recovery")) {
            pgRecovery();
            pgCrashDetection();
        }
        if (phases.contains("audit")) {
            audit();
        }
        if (phases.containsAll(PHASES)) {
            a.sampleRss(results, "rss_after_bench_mb");
        }
        if (patroni) {
            new PatroniSideBySide(this).run();
        }
        results.put("bench_seconds", round((System.nanoTime() - t0) / 1e9));
        write();
    }

    void setup() throws Exception {
        deleteTree(work);
        Files.createDirectories(work);
        machine();
        say("starting PostgreSQL 18 (zonky binaries) in " + work.resolve("pg"));
        pg = EmbeddedPgServer.startPg18(work.resolve("pg"));
        Path ca = work.resolve("ca");
        ClusterCa.initialize(ca, "steep-repl bench CA", 30, false, Clock.systemUTC());
        int pgPort = pg.port();
        a = new Node(this, "node-a", freePort(), freePort(), work.resolve("a"));
        b = new Node(this, "node-b", freePort(), freePort(), work.resolve("b"));
        for (Node n : List.of(a, b)) {
            String db = n.id.replace('-', '_');
            try (Connection c = pg.connect("postgres"); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + db);
            }
            try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION steep_repl");
            }
            NodeCertificateIssuer.issue(ca, n.id, List.of("127.0.0.1", "localhost"), 30, n.dir.resolve("certs"), false, Clock.systemUTC());
            n.database = db;
        }
        NodeCertificateIssuer.issue(ca, "bench-client", List.of("127.0.0.1"), 30, work.resolve("client"), false, Clock.systemUTC());
        a.writeConfig(pgPort, b);
        b.writeConfig(pgPort, a);
    }

    void machine() throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.replaceFirst(".*:\\s*", "")).orElse("?");
        m.put("cpu", cpu);
        m.put("cores", Runtime.getRuntime().availableProcessors());
        String mem = Files.readAllLines(Path.of("/proc/meminfo")).getFirst().replaceAll("\\D+", "");
        m.put("memory_gb", round(Long.parseLong(mem) / 1024.0 / 1024.0));
        m.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("aot_cache", Files.exists(repo.resolve("daemon/target/steep-repl/lib/steep-repl.aot")));
        results.put("machine", m);
    }

    /** Process start → IPC {@code status.get} answered and gRPC port accepting; with and without the AOT cache. */
    void startup() throws Exception {
        int runs = quick ? 3 : 6;
        boolean aot = Files.exists(repo.resolve("daemon/target/steep-repl/lib/steep-repl.aot"));
        if (aot) {
            startupSeries("startup", runs, "");
            startupSeries("startup_no_aot", runs, "-XX:AOTMode=off");
        } else {
            startupSeries("startup", runs, "");
        }
    }

    void startupSeries(String key, int runs, String javaOpts) throws Exception {
        say("start-up " + key + ": " + runs + " runs (first is warm-up)");
        List<Double> ready = new ArrayList<>();
        List<Double> ipc = new ArrayList<>();
        List<Double> grpc = new ArrayList<>();
        List<Double> health = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            a.start(javaOpts);
            double ipcMs = -1;
            double grpcMs = -1;
            double healthMs = -1;
            long deadline = t0 + TimeUnit.SECONDS.toNanos(30);
            while ((ipcMs < 0 || grpcMs < 0 || healthMs < 0) && System.nanoTime() < deadline) {
                if (!a.process.isAlive()) {
                    throw new IllegalStateException("daemon exited during start-up: see " + a.log);
                }
                if (ipcMs < 0 && a.ipcAnswers()) {
                    ipcMs = ms(t0);
                }
                if (grpcMs < 0 && tcpAccepts(a.grpc)) {
                    grpcMs = ms(t0);
                }
                // HTTP starts after IPC and gRPC (lifecycle.Daemon): probing it earlier only took CPU from the
                // two cores the daemon is starting on (~10% of one, measured), and could not answer sooner
                if (healthMs < 0 && ipcMs >= 0 && grpcMs >= 0 && Http.status(a.http, "/health") == 200) {
                    healthMs = ms(t0);
                }
                Thread.sleep(2);
            }
            if (ipcMs < 0 || grpcMs < 0 || healthMs < 0) {
                throw new IllegalStateException("daemon not ready in 30 s: see " + a.log);
            }
            a.stop();
            if (i == 0) {
                continue; // warm-up: page cache, PG's first connection
            }
            ipc.add(ipcMs);
            grpc.add(grpcMs);
            ready.add(Math.max(ipcMs, grpcMs));
            health.add(healthMs);
        }
        results.put(key + "_ready_ms", Stats.runs(ready));
        results.put(key + "_ipc_ms", Stats.runs(ipc));
        results.put(key + "_grpc_ms", Stats.runs(grpc));
        results.put(key + "_health200_ms", Stats.runs(health));
        row(key + "_ready_ms", Stats.runs(ready), key.equals("startup") ? "≤ 700" : "");
        row(key + "_health200_ms", Stats.runs(health), "");
    }

    void startPair() throws Exception {
        say("starting node-a and node-b");
        b.start("");
        a.start("");
        a.awaitHealth200(Duration.ofSeconds(30));
        b.awaitHealth200(Duration.ofSeconds(30));
        awaitPeerStatus("node-b", "healthy", Duration.ofSeconds(30));
    }

    void rssIdle() throws Exception {
        say("idle RSS (5 s settle, 10 samples)");
        Thread.sleep(quick ? 2000 : 5000);
        List<Double> samples = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            samples.add(a.rssMb());
            Thread.sleep(500);
        }
        results.put("rss_idle_mb", Stats.runs(samples));
        row("rss_idle_mb", Stats.runs(samples), "≤ 100");
        a.nmtSummary(results);
    }

    /** One request of a warm-up loop. */
    interface Call {
        void run() throws Exception;
    }

    /**
     * Warm-up, excluded from the figures: at least {@code minCalls}, then on until this load generator's JIT has
     * finished no compilation for a whole second (at most 60 s, 10 with --quick). A fixed count was not enough:
     * after 3 000 gRPC warm-up calls the generator's C2 was still compiling through the measured window (p50
     * drifting 0.82 → 0.41 ms across it, p99 3.5–4.1 ms), and that was reported as the daemon's latency.
     *
     * @return the number of warm-up calls made
     */
    int warmUp(int minCalls, Call call) throws Exception {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(quick ? 10 : 60);
        int calls = 0;
        for (; calls < minCalls; calls++) {
            call.run();
        }
        long compiled = jit.getTotalCompilationTime();
        long quietSince = System.nanoTime();
        long now;
        while ((now = System.nanoTime()) - quietSince < TimeUnit.SECONDS.toNanos(1) && now < deadline) {
            call.run();
            calls++;
            long c = jit.getTotalCompilationTime();
            if (c != compiled) {
                compiled = c;
                quietSince = System.nanoTime();
            }
        }
        return calls;
    }

    /** /health at a fixed rate (new connection per request, like a monitoring probe) and at full speed (keep-alive). */
    void health(InetSocketAddress target, String key, String label) throws Exception {
        int rate = 200;
        int seconds = quick ? 3 : 10;
        say(label + ": warm-up (new and kept connections, until the generator's JIT is quiet), then " + rate + "/s for "
                + seconds + " s, then full speed");
        Http.Client[] kept = {new Http.Client(target)};
        int warm = warmUp(quick ? 500 : 2000, () -> {
            try (Http.Client c = new Http.Client(target)) { // the fixed-rate path: a new connection per request
                c.get("/health");
            }
            if (kept[0].closed) {
                kept[0].close();
                kept[0] = new Http.Client(target); // the server closes after each response (HTTP/1.0, e.g. Patroni)
            }
            kept[0].get("/health");
        });
        kept[0].close();
        // fixed rate, one new TCP connection per probe, latency measured from the intended send time
        List<Double> fixed = new ArrayList<>();
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        int codes200 = 0;
        int n = rate * seconds;
        for (int i = 0; i < n; i++) {
            long intended = start + i * period;
            long now;
            while ((now = System.nanoTime()) < intended) {
                if (intended - now > 200_000) {
                    Thread.sleep(0, 100_000);
                } else {
                    Thread.onSpinWait();
                }
            }
            try (Http.Client c = new Http.Client(target)) {
                int code = c.get("/health");
                if (code == 200) {
                    codes200++;
                }
            }
            fixed.add((System.nanoTime() - intended) / 1e6);
        }
        double fixedRps = n / ((System.nanoTime() - start) / 1e9);
        Map<String, Object> f = Stats.latency(fixed, fixedRps);
        f.put("mode", "fixed rate " + rate + "/s, new connection per request");
        f.put("warmup_rounds", warm);
        f.put("http_200", codes200);
        results.put(key + "_fixed", f);
        // full speed: 4 keep-alive connections, closed loop
        int conns = 4;
        long dur = TimeUnit.SECONDS.toNanos(quick ? 2 : 5);
        List<List<Double>> per = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();
        long fsStart = System.nanoTime();
        for (int t = 0; t < conns; t++) {
            List<Double> mine = new ArrayList<>();
            per.add(mine);
            threads.add(Thread.ofPlatform().start(() -> {
                Http.Client c = null;
                try {
                    while (System.nanoTime() - fsStart < dur) {
                        long s = System.nanoTime();
                        if (c == null || c.closed) {
                            // a server that closes after each response (HTTP/1.0: Patroni) costs a new connection
                            // per request; that is part of its request latency, so it is inside the timing
                            if (c != null) {
                                c.close();
                            }
                            c = new Http.Client(target);
                            opened.incrementAndGet();
                        }
                        c.get("/health");
                        mine.add((System.nanoTime() - s) / 1e6);
                    }
                    if (c != null) {
                        c.close();
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double el = (System.nanoTime() - fsStart) / 1e9;
        List<Double> all = per.stream().flatMap(List::stream).toList();
        Map<String, Object> full = Stats.latency(all, all.size() / el);
        full.put("mode", opened.get() > conns
                ? conns + " clients, closed loop; the server closes after each response (HTTP/1.0), so every request "
                        + "opens a new connection, timed with the request"
                : conns + " keep-alive connections, closed loop");
        full.put("connections_opened", opened.get());
        results.put(key + "_full_speed", full);
        results.put(key + "_p50_ms", f.get("p50_ms"));
        results.put(key + "_p99_ms", f.get("p99_ms"));
        row(key + " fixed " + rate + "/s", f, key.equals("health") ? "p99 ≤ 3" : "");
        row(key + " full speed", full, "");
    }

    /**
     * The same /health load against {@link ReferenceHttpServer} (a fixed answer from blocking sockets, in its own JVM
     * with the daemon's launcher options), beside the same idle PostgreSQL and daemons: the floor this machine sets
     * under any HTTP server's latency, so that a run's /health figures can be read against their hour.
     */
    void machineFloor() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(launcherHeapGcJitOptions());
        cmd.addAll(List.of("-cp", Path.of(ReferenceHttpServer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString(),
                ReferenceHttpServer.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String port = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            if (port == null) {
                throw new IOException("the reference server did not start: " + String.join(" ", cmd));
            }
            results.put("floor_http_setup", "ReferenceHttpServer: blocking sockets, a fixed answer; JVM options " + String.join(" ", cmd.subList(1, cmd.size() - 3)));
            health(new InetSocketAddress("127.0.0.1", Integer.parseInt(port.strip())), "floor_http", "machine floor: reference HTTP server");
        } finally {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** The heap, GC and JIT options the daemon's launcher starts every JVM with (its first DEFAULT_OPTS line). */
    List<String> launcherHeapGcJitOptions() throws IOException {
        String line = Files.readAllLines(launcher).stream().filter(l -> l.startsWith("DEFAULT_OPTS=\""))
                .findFirst().orElseThrow(() -> new IOException("no DEFAULT_OPTS line in " + launcher));
        return List.of(line.substring("DEFAULT_OPTS=\"".length(), line.lastIndexOf('"')).split(" ")).stream()
                .filter(o -> o.startsWith("-X")).toList();
    }

    void ipc() throws Exception {
        int n = quick ? 3000 : 10000;
        say("IPC status.get: warm-up until the generator's JIT is quiet, measured " + n);
        try (Ipc c = new Ipc(a.ipcPath)) {
            int warm = warmUp(quick ? 1000 : 3000, () -> c.call("status.get", null));
            List<Double> lat = new ArrayList<>(n);
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long s = System.nanoTime();
                c.call("status.get", null);
                lat.add((System.nanoTime() - s) / 1e6);
            }
            Map<String, Object> st = Stats.latency(lat, n / ((System.nanoTime() - start) / 1e9));
            st.put("mode", "one connection, closed loop");
            st.put("warmup_calls", warm);
            results.put("ipc", st);
            results.put("ipc_p50_ms", st.get("p50_ms"));
            results.put("ipc_p99_ms", st.get("p99_ms"));
            row("ipc status.get", st, "p99 ≤ 1");
        }
    }

    void grpc() throws Exception {
        Path client = work.resolve("client");
        TlsMaterial tls = TlsMaterial.load(client.resolve("node-cert.pem"), client.resolve("node-key.pem"), client.resolve("ca-cert.pem"));
        SslContext ssl = TlsContexts.client(tls);
        PeerAddress peer = PeerAddress.parse("bench", "127.0.0.1:" + a.grpc.getPort());
        int n = quick ? 3000 : 10000;
        say("gRPC HealthCheck over mTLS: warm-up until the generator's JIT is quiet, measured " + n);
        ManagedChannel ch = GrpcPeerTransport.channel(peer, ssl);
        try {
            var stub = CoordinatorGrpc.newBlockingStub(ch);
            HealthCheckRequest req = HealthCheckRequest.getDefaultInstance();
            int warm = warmUp(quick ? 1000 : 3000, () -> stub.withDeadlineAfter(5, TimeUnit.SECONDS).healthCheck(req));
            List<Double> lat = new ArrayList<>(n);
            long start = System.nanoTime();
            HealthCheckResponse last = null;
            for (int i = 0; i < n; i++) {
                long s = System.nanoTime();
                last = stub.withDeadlineAfter(5, TimeUnit.SECONDS).healthCheck(req);
                lat.add((System.nanoTime() - s) / 1e6);
            }
            Map<String, Object> st = Stats.latency(lat, n / ((System.nanoTime() - start) / 1e9));
            st.put("mode", "one channel (TLS 1.3, client certificate), blocking stub, closed loop");
            st.put("warmup_calls", warm);
            st.put("serving", last.getStatus().name());
            results.put("grpc", st);
            results.put("grpc_p50_ms", st.get("p50_ms"));
            results.put("grpc_p99_ms", st.get("p99_ms"));
            row("grpc HealthCheck warm", st, "p99 ≤ 2");
        } finally {
            ch.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        }
        int hsWarm = 10;
        int hs = quick ? 15 : 40;
        say("gRPC handshake: new channel + mTLS + first call, " + hsWarm + " warm-up, " + hs + " measured");
        List<Double> lat = new ArrayList<>();
        for (int i = 0; i < hsWarm + hs; i++) {
            long s = System.nanoTime();
            ManagedChannel c = GrpcPeerTransport.channel(peer, ssl);
            CoordinatorGrpc.newBlockingStub(c).withDeadlineAfter(5, TimeUnit.SECONDS).healthCheck(HealthCheckRequest.getDefaultInstance());
            double took = (System.nanoTime() - s) / 1e6;
            c.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
            if (i >= hsWarm) {
                lat.add(took);
            }
        }
        Map<String, Object> st = Stats.latency(lat, 0);
        st.remove("requests_per_s");
        results.put("grpc_handshake", st);
        results.put("grpc_handshake_ms", st.get("p50_ms"));
        row("grpc handshake", st, "≤ 50");
    }

    /** kill -9 node-b; poll node-a's IPC {@code nodes.get node-b} until it says unreachable. Default settings. */
    void detectUnreachable() throws Exception {
        int runs = quick ? 2 : 4;
        say("detect_unreachable: " + runs + " runs (heartbeat 1s, unreachable_after 3: the defaults)");
        List<Double> took = new ArrayList<>();
        try (Ipc c = new Ipc(a.ipcPath)) {
            for (int r = 0; r < runs; r++) {
                awaitPeerStatus("node-b", "healthy", Duration.ofSeconds(30));
                Thread.sleep(ThreadLocalRandom.current().nextInt(200, 1200)); // random heartbeat phase
                long t0 = System.nanoTime();
                b.kill9();
                while (true) {
                    JsonNode res = c.call("nodes.get", Map.of("node_id", "node-b"));
                    if ("unreachable".equals(res.path("result").path("node").path("status").asText())) {
                        break;
                    }
                    if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(60)) {
                        throw new IllegalStateException("node-b not marked unreachable within 60 s");
                    }
                    Thread.sleep(5);
                }
                took.add(ms(t0));
                b.start("");
                b.awaitHealth200(Duration.ofSeconds(30));
            }
        }
        results.put("detect_unreachable_ms", Stats.runs(took));
        row("detect_unreachable_ms", Stats.runs(took), "≤ 3000");
    }

    /** Stop PostgreSQL (fast), keep it down, start it; time from "accepting again" to node-a's /health 200. */
    void pgRecovery() throws Exception {
        int runs = quick ? 2 : 3;
        int downSeconds = quick ? 3 : 8;
        say("pg_recovery: " + runs + " runs, PostgreSQL down " + downSeconds + " s each");
        List<Double> took = new ArrayList<>();
        List<Double> fromStartCall = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            a.awaitHealth200(Duration.ofSeconds(60));
            pg.stop(PgServer.StopMode.FAST);
            long down = System.nanoTime();
            awaitHealthNot200(down, 20, "with PostgreSQL down");
            long rest = TimeUnit.SECONDS.toNanos(downSeconds) - (System.nanoTime() - down);
            if (rest > 0) {
                Thread.sleep(rest / 1_000_000);
            }
            long t0 = System.nanoTime();
            pg.start(); // returns once the server accepts connections
            long t1 = System.nanoTime();
            while (Http.status(a.http, "/health") != 200) {
                if (System.nanoTime() - t1 > TimeUnit.SECONDS.toNanos(90)) {
                    throw new IllegalStateException("/health not 200 within 90 s of PostgreSQL's return");
                }
                Thread.sleep(5);
            }
            took.add(ms(t1));
            fromStartCall.add(ms(t0));
        }
        results.put("pg_recovery_ms", Stats.runs(took));
        results.put("pg_recovery_from_pg_ctl_start_ms", Stats.runs(fromStartCall));
        results.put("pg_recovery_downtime_s", downSeconds);
        row("pg_recovery_ms", Stats.runs(took), "≤ 2000");
    }

    /** Polls node-a's /health every {@code everyMillis} until it is no longer 200; at most 30 s from {@code since}. */
    private void awaitHealthNot200(long since, long everyMillis, String when) throws Exception {
        while (Http.status(a.http, "/health") == 200) {
            if (System.nanoTime() - since > TimeUnit.SECONDS.toNanos(30)) {
                throw new IllegalStateException("/health stayed 200 " + when);
            }
            Thread.sleep(everyMillis);
        }
    }

    /**
     * PostgreSQL killed the way a crash or the OOM killer does ({@code pg_ctl stop -m immediate}: no goodbye on the
     * pooled connections); time from the server being gone to node-a's /health answering 503.
     */
    void pgCrashDetection() throws Exception {
        int runs = quick ? 2 : 3;
        say("pg_crash_detect: " + runs + " runs of an immediate stop");
        List<Double> took = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            a.awaitHealth200(Duration.ofSeconds(60));
            Thread.sleep(1500); // a probe's connection idle long enough that the pool checks it before lending it
            pg.stop(PgServer.StopMode.IMMEDIATE);
            long gone = System.nanoTime();
            awaitHealthNot200(gone, 5, "with PostgreSQL killed");
            took.add(ms(gone));
            pg.start();
        }
        a.awaitHealth200(Duration.ofSeconds(60));
        results.put("pg_crash_detect_ms", Stats.runs(took));
        row("pg_crash_detect_ms", Stats.runs(took), "");
    }

    /**
     * The daemon's audit writer: node-a is stopped, N events are put in its spool (the durable queue it drains on
     * start), node-a starts, and the rate is N over the time from its first row to its last in audit_log.
     */
    void audit() throws Exception {
        int runs = quick ? 2 : 3;
        int n = quick ? 3000 : 10000;
        say("audit_rows_per_s: " + runs + " runs of " + n + " spooled events");
        ObjectMapper spoolJson = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        List<Double> rates = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            a.stop();
            String action = "bench.audit." + r;
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                AuditEvent e = AuditEvent.success(action, "bench@node-a", "node", "node-a", Map.of("seq", i, "run", r));
                sb.append(spoolJson.writeValueAsString(e)).append('\n');
            }
            Files.writeString(a.dir.resolve("spool/audit.jsonl"), sb, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            a.start("");
            long first = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            try (Connection c = pg.connect(a.database); var ps = c.prepareStatement(
                    "SELECT count(*) FROM steep_repl.audit_log WHERE action = ?")) {
                ps.setString(1, action);
                while (true) {
                    long count;
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        count = rs.getLong(1);
                    }
                    if (count > 0 && first == 0) {
                        first = System.nanoTime();
                    }
                    if (count >= n) {
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("only " + count + " of " + n + " audit rows after 120 s");
                    }
                    Thread.sleep(10);
                }
            }
            rates.add(n / ((System.nanoTime() - first) / 1e9));
        }
        Map<String, Object> st = Stats.runs(rates);
        st.put("events_per_run", n);
        results.put("audit_rows_per_s", st);
        row("audit_rows_per_s", st, "");
        a.awaitHealth200(Duration.ofSeconds(30));
    }

    void awaitPeerStatus(String nodeId, String status, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Ipc c = new Ipc(a.ipcPath)) {
            while (true) {
                JsonNode res = c.call("nodes.get", Map.of("node_id", nodeId));
                if (status.equals(res.path("result").path("node").path("status").asText())) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(nodeId + " not " + status + " in node-a's view: " + res);
                }
                Thread.sleep(20);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ output

    void row(String name, Map<String, Object> st, String goal) {
        String p50 = fmt(st.get(st.containsKey("p50_ms") ? "p50_ms" : "median"));
        String p99 = st.containsKey("p99_ms") ? fmt(st.get("p99_ms")) : "";
        String max = fmt(st.get("max" + (st.containsKey("p50_ms") ? "_ms" : "")));
        String min = fmt(st.get("min" + (st.containsKey("p50_ms") ? "_ms" : "")));
        String rps = st.containsKey("requests_per_s") ? fmt(st.get("requests_per_s")) : "";
        table.add(new String[] {name, String.valueOf(st.get(st.containsKey("count") ? "count" : "runs")), p50, p99, min, max, rps, goal});
    }

    void write() throws IOException {
        String side = sideBySide();
        results.put("table", table.stream().map(r -> String.join(" | ", r)).toList());
        Path out = repo.resolve("bench/results.json");
        JSON.writeValue(out.toFile(), results);
        String[] head = {"figure", "n", "p50/median", "p99", "min", "max", "req/s", "goal"};
        int[] w = new int[head.length];
        for (String[] r : Stream.concat(Stream.<String[]>of(head), table.stream()).toList()) {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder("\n");
        for (String[] r : Stream.concat(Stream.<String[]>of(head), table.stream()).toList()) {
            sb.append("| ");
            for (int i = 0; i < r.length; i++) {
                sb.append(String.format(Locale.ROOT, "%-" + w[i] + "s | ", r[i]));
            }
            sb.append('\n');
        }
        System.out.print(sb);
        System.out.println("(ms unless named otherwise; latency rows: n = requests, p50/p99/min/max of requests; "
                + "run rows: n = runs, median/min/max over runs)");
        System.out.print(side);
        System.out.println("wrote " + out);
    }

    /** The daemon's /health next to Patroni's, same load, when both were measured in this run. */
    @SuppressWarnings("unchecked")
    String sideBySide() {
        if (!(results.get("patroni_health_fixed") instanceof Map<?, ?>) || !(results.get("health_fixed") instanceof Map<?, ?>)) {
            return "";
        }
        String[][] rows = {
                {"/health, same load", "steep-repl", "Patroni"},
                {"fixed 200/s, new conn: p50 ms", "health_fixed", "p50_ms"},
                {"fixed 200/s, new conn: p99 ms", "health_fixed", "p99_ms"},
                {"fixed 200/s, new conn: max ms", "health_fixed", "max_ms"},
                {"full speed, 4 clients: req/s", "health_full_speed", "requests_per_s"},
                {"full speed, 4 clients: p50 ms", "health_full_speed", "p50_ms"},
                {"full speed, 4 clients: p99 ms", "health_full_speed", "p99_ms"},
        };
        Map<String, Object> json = new LinkedHashMap<>();
        StringBuilder sb = new StringBuilder("\n");
        sb.append(String.format(Locale.ROOT, "| %-30s | %-10s | %-10s |%n", (Object[]) rows[0]));
        for (int i = 1; i < rows.length; i++) {
            Object ours = ((Map<String, Object>) results.get(rows[i][1])).get(rows[i][2]);
            Object theirs = ((Map<String, Object>) results.get("patroni_" + rows[i][1])).get(rows[i][2]);
            sb.append(String.format(Locale.ROOT, "| %-30s | %-10s | %-10s |%n", rows[i][0], fmt(ours), fmt(theirs)));
            json.put(rows[i][0], Map.of("steep_repl", ours, "patroni", theirs));
        }
        results.put("health_side_by_side", json);
        return sb.toString();
    }

    void teardown() {
        for (Node n : new Node[] {a, b}) {
            if (n != null) {
                try {
                    n.stop();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
        if (pg instanceof EmbeddedPgServer e) {
            try {
                e.close();
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static void say(String s) {
        System.out.println("bench: " + s);
        System.out.flush();
    }

    static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    static String fmt(Object o) {
        if (o == null) {
            return "";
        }
        if (o instanceof Double d) {
            return d >= 100 ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%.3f", d);
        }
        return String.valueOf(o);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static boolean tcpAccepts(InetSocketAddress addr) {
        try (Socket s = new Socket()) {
            s.connect(addr, 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ parts

    /** Percentiles of request latencies, and median/min/max of per-run figures. */
    static final class Stats {
        static Map<String, Object> latency(List<Double> values, double rps) {
            List<Double> s = values.stream().sorted().toList();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", s.size());
            m.put("p50_ms", round(pct(s, 50)));
            m.put("p90_ms", round(pct(s, 90)));
            m.put("p99_ms", round(pct(s, 99)));
            m.put("min_ms", round(s.getFirst()));
            m.put("max_ms", round(s.getLast()));
            m.put("mean_ms", round(s.stream().mapToDouble(Double::doubleValue).average().orElse(0)));
            m.put("requests_per_s", round(rps));
            return m;
        }

        static Map<String, Object> runs(List<Double> values) {
            List<Double> s = values.stream().sorted().toList();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("runs", s.size());
            m.put("median", round(pct(s, 50)));
            m.put("min", round(s.getFirst()));
            m.put("max", round(s.getLast()));
            m.put("values", s.stream().map(Bench::round).toList());
            return m;
        }

        /** Nearest-rank percentile. */
        static double pct(List<Double> sorted, double p) {
            int rank = (int) Math.ceil(p / 100.0 * sorted.size());
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
        }
    }

    /** A minimal HTTP/1.1 client: the same bytes a probe sends, no client library overhead in the figures. */
    static final class Http {
        static int status(InetSocketAddress target, String path) {
            try (Client c = new Client(target)) {
                return c.get(path);
            } catch (IOException e) {
                return -1;
            }
        }

        static final class Client implements AutoCloseable {
            final Socket socket;
            final InputStream in;
            final OutputStream out;
            final byte[] request;
            final byte[] buf = new byte[65536];
            /** The server said it closes after this response (HTTP/1.0 without keep-alive, or Connection: close). */
            boolean closed;

            Client(InetSocketAddress target) throws IOException {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.connect(target, 2000);
                socket.setSoTimeout(10_000);
                in = socket.getInputStream();
                out = socket.getOutputStream();
                request = ("GET %s HTTP/1.1\r\nHost: " + target.getHostString() + ":" + target.getPort()
                        + "\r\nUser-Agent: steep-repl-bench\r\nAccept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            }

            int get(String path) throws IOException {
                out.write(new String(request, StandardCharsets.US_ASCII).formatted(path).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                // read headers
                int len = 0;
                int headerEnd = -1;
                while (headerEnd < 0) {
                    int r = in.read(buf, len, buf.length - len);
                    if (r < 0) {
                        throw new IOException("connection closed in headers");
                    }
                    len += r;
                    for (int i = 3; i < len; i++) {
                        if (buf[i - 3] == '\r' && buf[i - 2] == '\n' && buf[i - 1] == '\r' && buf[i] == '\n') {
                            headerEnd = i + 1;
                            break;
                        }
                    }
                }
                String head = new String(buf, 0, headerEnd, StandardCharsets.ISO_8859_1);
                int code = Integer.parseInt(head.substring(9, 12));
                int contentLength = -1;
                boolean chunked = false;
                boolean keepAlive = head.startsWith("HTTP/1.1");
                for (String line : head.split("\r\n")) {
                    String l = line.toLowerCase(Locale.ROOT);
                    if (l.startsWith("content-length:")) {
                        contentLength = Integer.parseInt(l.substring(15).trim());
                    } else if (l.startsWith("transfer-encoding:") && l.contains("chunked")) {
                        chunked = true;
                    } else if (l.startsWith("connection:")) {
                        keepAlive = l.contains("keep-alive") || (keepAlive && !l.contains("close"));
                    }
                }
                if (chunked) {
                    throw new IOException("chunked responses are not expected from a /health endpoint");
                }
                if (contentLength < 0) {
                    // no length: the body ends when the server closes the connection (HTTP/1.0, e.g. Patroni)
                    while (in.read(buf, 0, buf.length) >= 0) {
                        // drain
                    }
                    closed = true;
                    return code;
                }
                closed = !keepAlive;
                int have = len - headerEnd;
                while (have < contentLength) {
                    int r = in.read(buf, 0, buf.length);
                    if (r < 0) {
                        throw new IOException("connection closed in body");
                    }
                    have += r;
                }
                return code;
            }

            @Override
            public void close() throws IOException {
                socket.close();
            }
        }
    }

    /** The JSON-lines IPC client over the unix socket (what the tray and the CLI speak). */
    static final class Ipc implements AutoCloseable {
        final SocketChannel ch;
        final ByteBuffer in = ByteBuffer.allocate(1 << 20);
        long id;

        Ipc(Path path) throws IOException {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(path));
        }

        JsonNode call(String method, Object params) throws IOException {
            Map<String, Object> req = new LinkedHashMap<>();
            req.put("id", String.valueOf(++id));
            req.put("method", method);
            if (params != null) {
                req.put("params", params);
            }
            byte[] line = (JSON.copy().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(req) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            ByteBuffer out = ByteBuffer.wrap(line);
            while (out.hasRemaining()) {
                ch.write(out);
            }
            in.clear();
            while (true) {
                if (ch.read(in) < 0) {
                    throw new IOException("IPC connection closed");
                }
                if (in.position() > 0 && in.get(in.position() - 1) == '\n') {
                    break;
                }
            }
            return JSON.readTree(new String(in.array(), 0, in.position(), StandardCharsets.UTF_8));
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    /** One daemon from the built distribution, as a separate process. */
    static final class Node {
        final Bench bench;
        final String id;
        final InetSocketAddress grpc;
        final InetSocketAddress http;
        final Path dir;
        final Path ipcPath;
        final Path config;
        final Path log;
        String database;
        Process process;

        Node(Bench bench, String id, int grpcPort, int httpPort, Path dir) throws IOException {
            this.bench = bench;
            this.id = id;
            this.grpc = new InetSocketAddress("127.0.0.1", grpcPort);
            this.http = new InetSocketAddress("127.0.0.1", httpPort);
            this.dir = dir;
            this.ipcPath = dir.resolve("ipc.sock");
            this.config = dir.resolve("config.yaml");
            this.log = dir.resolve("daemon.log");
            Files.createDirectories(dir);
        }

        void writeConfig(int pgPort, Node peer) throws IOException {
            Files.writeString(config, """
                    repl:
                      node_id: %s
                      node_name: "%s (bench)"
                      postgresql:
                        host: 127.0.0.1
                        port: %d
                        database: %s
                        user: postgres
                        sslmode: disable
                      grpc:
                        bind: 127.0.0.1
                        port: %d
                        advertise_host: 127.0.0.1
                        tls:
                          cert_file: certs/node-cert.pem
                          key_file: certs/node-key.pem
                          ca_file: certs/ca-cert.pem
                      http:
                        bind: 127.0.0.1
                        port: %d
                      ipc:
                        path: %s
                      cluster:
                        peers: ["127.0.0.1:%d"]
                      audit:
                        spool_dir: spool
                    """.formatted(id, id, pgPort, database, grpc.getPort(), http.getPort(), ipcPath, peer.grpc.getPort()));
        }

        void start(String extraJavaOpts) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(bench.launcher.toString(), "--config", config.toString(), "run");
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("PG") || k.startsWith("STEEP_REPL"));
            env.put("XDG_CONFIG_HOME", dir.resolve("xdg-config").toString());
            env.put("XDG_DATA_HOME", dir.resolve("xdg-data").toString());
            env.put("XDG_RUNTIME_DIR", dir.toString());
            String opts = System.getenv().getOrDefault("BENCH_DAEMON_JAVA_OPTS", "") + " " + extraJavaOpts;
            if (!opts.isBlank()) {
                env.put("STEEP_REPL_JAVA_OPTS", opts.strip());
            }
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            process = pb.start();
        }

        boolean ipcAnswers() {
            if (!Files.exists(ipcPath)) {
                return false;
            }
            try (Ipc c = new Ipc(ipcPath)) {
                return c.call("status.get", null).has("result");
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        void awaitHealth200(Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (Http.status(http, "/health") != 200) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(id + " exited: see " + log);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(id + " /health not 200 within " + timeout + ": see " + log);
                }
                Thread.sleep(10);
            }
        }

        void stop() throws InterruptedException {
            if (process != null && process.isAlive()) {
                process.destroy(); // SIGTERM: graceful
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        }

        void kill9() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL
            process.waitFor();
        }

        double rssMb() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) / 1024.0;
                }
            }
            throw new IOException("no VmRSS for " + process.pid());
        }

        void sampleRss(Map<String, Object> results, String key) throws IOException {
            results.put(key, round(rssMb()));
        }

        /** Heap and metaspace as the JVM sees them (jcmd GC.heap_info), to explain the RSS. */
        void nmtSummary(Map<String, Object> results) {
            try {
                Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
                Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "GC.heap_info")
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor(10, TimeUnit.SECONDS);
                results.put("heap_info_idle", out.lines().filter(l -> !l.isBlank() && !l.matches("^\\d+:$")).toList());
            } catch (IOException | InterruptedException e) {
                results.put("heap_info_idle", "jcmd failed: " + e.getMessage());
            }
        }
    }

}
