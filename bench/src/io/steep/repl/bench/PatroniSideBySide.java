package io.steep.repl.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The side-by-side with Patroni's REST {@code /health}, what DBAs probe today. Patroni (Debian's package, installed
 * by bench/install-patroni-deps.sh) bootstraps and runs a one-member cluster on <b>the same PostgreSQL 18
 * binaries</b> as the daemons' server (zonky's), with etcd as its DCS, both on private ports under
 * bench/target/work; then its {@code /health} gets exactly the load the daemon's got ({@link Bench#health}).
 * <p>
 * zonky's binaries are only postgres, initdb and pg_ctl, so Patroni's {@code bin_dir} is a bench-private directory
 * of symlinks to them plus {@code pg_isready} (Debian's PG 15 client: libpq, protocol 3.0, fine against PG 18)
 * and {@code pg_controldata} (bench/patroni/pg_controldata: a shim that reads the PG 18 control-file layout and
 * checks its CRC). The shim's output is cross-checked against the server's own {@code pg_control_*()} functions
 * on every run, and a mismatch fails the step.
 * <p>
 * {@code BENCH_PATRONI_URL} measures an already running Patroni instead; {@code bench.patroni.skip} (set by
 * bench/run when the packages cannot be installed) records why the step was skipped.
 */
final class PatroniSideBySide {
    private static final String SUPERUSER_PASSWORD = "bench-only";
    private final Bench bench;
    private final Path dir;
    private final Map<String, Object> info = new LinkedHashMap<>();
    private Process etcd;
    private Process patroni;
    private Path pgCtl;
    private Path dataDir;

    PatroniSideBySide(Bench bench) {
        this.bench = bench;
        this.dir = bench.work.resolve("patroni");
    }

    void run() throws Exception {
        bench.results.put("patroni", info);
        String url = System.getenv("BENCH_PATRONI_URL");
        if (url != null && !url.isBlank()) {
            URI u = URI.create(url);
            info.put("measured", true);
            info.put("setup", "external Patroni at " + url + " (BENCH_PATRONI_URL)");
            bench.health(new InetSocketAddress(u.getHost(), u.getPort()), "patroni_health", "Patroni /health " + url);
            return;
        }
        String skip = System.getProperty("bench.patroni.skip");
        if (skip != null) {
            info.put("measured", false);
            info.put("reason", "skipped: " + skip);
            Bench.say("Patroni side by side skipped: " + skip);
            return;
        }
        try {
            InetSocketAddress rest = start();
            verifyControldataShim();
            bench.health(rest, "patroni_health", "Patroni /health (PG 18, same binaries)");
            List<Double> rss = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                rss.add(rssMb(patroni.pid()));
                Thread.sleep(200);
            }
            bench.results.put("patroni_rss_mb", Bench.Stats.runs(rss));
            bench.row("patroni_rss_mb (python, not PG)", Bench.Stats.runs(rss), "");
            info.put("measured", true);
        } catch (Exception e) {
            info.put("measured", false);
            info.put("error", String.valueOf(e.getMessage()));
            bench.failed = true;
            Bench.say("Patroni side by side FAILED: " + e.getMessage());
        } finally {
            stop();
        }
    }

    // ------------------------------------------------------------------------------------------ start and stop

    private InetSocketAddress start() throws Exception {
        Map<String, String> deps = parseDeps(System.getProperty("bench.patroni.deps", ""));
        Path pgIsready = Path.of(deps.getOrDefault("pg_isready", "/usr/lib/postgresql/15/bin/pg_isready"));
        Path zonkyBin = zonkyBinDir();
        Path binDir = dir.resolve("bin");
        Files.createDirectories(binDir);
        for (String tool : List.of("postgres", "initdb", "pg_ctl")) {
            Files.createSymbolicLink(binDir.resolve(tool), zonkyBin.resolve(tool));
        }
        Files.createSymbolicLink(binDir.resolve("pg_isready"), pgIsready);
        Files.createSymbolicLink(binDir.resolve("pg_controldata"), bench.repo.resolve("bench/patroni/pg_controldata"));
        pgCtl = zonkyBin.resolve("pg_ctl");
        dataDir = dir.resolve("data");

        int etcdClient = Bench.freePort();
        int etcdPeer = Bench.freePort();
        int restPort = Bench.freePort();
        int pgPort = Bench.freePort();
        Path etcdDir = bench.work.resolve("etcd");
        Files.createDirectories(etcdDir);
        String client = "http://127.0.0.1:" + etcdClient;
        String peer = "http://127.0.0.1:" + etcdPeer;
        Bench.say("Patroni: starting etcd on " + client + " (data " + etcdDir + ")");
        etcd = new ProcessBuilder("etcd", "--name", "bench", "--data-dir", etcdDir.resolve("data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "bench=" + peer, "--initial-cluster-state", "new")
                .redirectErrorStream(true).redirectOutput(etcdDir.resolve("etcd.log").toFile()).start();
        awaitHttp200(new InetSocketAddress("127.0.0.1", etcdClient), "/version", 30, etcd, etcdDir.resolve("etcd.log"));

        Path config = dir.resolve("patroni.yml");
        Files.writeString(config, """
                # written by bench/src/io/steep/repl/bench/PatroniSideBySide.java for one bench run
                scope: steep-repl-bench
                name: pg18-bench
                log:
                  level: INFO
                restapi:
                  listen: 127.0.0.1:%1$d
                  connect_address: 127.0.0.1:%1$d
                etcd3:
                  hosts: 127.0.0.1:%2$d
                bootstrap:
                  dcs:
                    ttl: 30
                    loop_wait: 10
                    retry_timeout: 10
                    postgresql:
                      use_pg_rewind: false
                  initdb:
                    - encoding: UTF8
                    - locale: C
                postgresql:
                  listen: 127.0.0.1:%3$d
                  connect_address: 127.0.0.1:%3$d
                  data_dir: %4$s
                  bin_dir: %5$s
                  pgpass: %6$s
                  authentication:
                    superuser: {username: postgres, password: %7$s}
                    replication: {username: replicator, password: %7$s}
                  parameters:
                    unix_socket_directories: '%8$s'
                  pg_hba:
                    - local all all trust
                    - host all all 127.0.0.1/32 trust
                    - host replication all 127.0.0.1/32 trust
                """.formatted(restPort, etcdClient, pgPort, dataDir, binDir, dir.resolve("pgpass"), SUPERUSER_PASSWORD, dir));
        List<String> cmd = new ArrayList<>(asNonRoot());
        cmd.addAll(List.of("patroni", config.toString()));
        Path log = dir.resolve("patroni.log");
        Bench.say("Patroni: bootstrapping a one-member cluster on PG 18 (" + dataDir + "), REST on 127.0.0.1:" + restPort
                + (cmd.getFirst().equals("unshare") ? " (as root: through unshare -U, like the harness runs zonky's PG)" : ""));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("PG") || k.startsWith("PATRONI"));
        pb.environment().put("LANG", "C");
        pb.environment().put("LC_ALL", "C");
        long t0 = System.nanoTime();
        patroni = pb.start();
        InetSocketAddress rest = new InetSocketAddress("127.0.0.1", restPort);
        awaitHttp200(rest, "/health", 120, patroni, log);
        double bootstrapMs = Bench.ms(t0);

        info.put("setup", "Patroni bootstrapped a one-member cluster itself (initdb through zonky's PG 18 binaries); "
                + "etcd v3 API as DCS; bin_dir = symlinks to zonky's postgres/initdb/pg_ctl + pg_isready (Debian PG "
                + "client) + the bench's pg_controldata shim for PG 18");
        info.put("patroni_version", firstLine("patroni", "--version"));
        info.put("etcd_version", firstLine("etcd", "--version"));
        info.put("pg_isready", pgIsready + " (" + firstLine(pgIsready.toString(), "--version") + ")");
        info.put("bootstrap_to_health200_ms", Bench.round(bootstrapMs));
        try (Connection c = connect(pgPort); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version()")) {
            rs.next();
            info.put("postgresql", rs.getString(1));
        }
        info.put("pg_port", pgPort);
        info.put("rest", "http://127.0.0.1:" + restPort);
        info.put("log", log.toString());
        return rest;
    }

    private void stop() {
        if (patroni != null && patroni.isAlive()) {
            Bench.say("Patroni: stopping (it shuts its PostgreSQL down)");
            patroni.destroy(); // SIGTERM: Patroni stops PostgreSQL (fast) and exits
            try {
                if (!patroni.waitFor(60, TimeUnit.SECONDS)) {
                    patroni.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // a Patroni that died or was killed leaves its postmaster running: stop it, or it outlives the bench
        if (dataDir != null && Files.exists(dataDir.resolve("postmaster.pid")) && pgCtl != null) {
            List<String> cmd = new ArrayList<>(asNonRoot());
            cmd.addAll(List.of(pgCtl.toString(), "-D", dataDir.toString(), "-m", "immediate", "-w", "stop"));
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("patroni.log").toFile())).start();
                p.waitFor(60, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                Bench.say("Patroni: could not stop its PostgreSQL (" + e.getMessage() + "): stop it with " + String.join(" ", cmd));
            }
        }
        if (etcd != null && etcd.isAlive()) {
            etcd.destroy();
            try {
                if (!etcd.waitFor(20, TimeUnit.SECONDS)) {
                    etcd.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------------------------------ the shim, checked

    /**
     * Runs the pg_controldata shim on Patroni's data directory and compares every field the server also exposes
     * through pg_control_system/checkpoint/recovery/init() and its settings. A checkpoint between the two reads can
     * change the checkpoint fields, so a mismatch is re-read a few times before it counts.
     */
    private void verifyControldataShim() throws Exception {
        List<String> mismatches = List.of();
        int compared = 0;
        for (int attempt = 0; attempt < 3; attempt++) {
            Map<String, String> shim = runShim();
            Map<String, String> server = serverControlData();
            List<String> diff = new ArrayList<>();
            for (Map.Entry<String, String> e : server.entrySet()) {
                String got = shim.get(e.getKey());
                if (!e.getValue().equals(got)) {
                    diff.add(e.getKey() + " shim=" + got + " server=" + e.getValue());
                }
            }
            compared = server.size();
            mismatches = diff;
            if (diff.isEmpty()) {
                break;
            }
            Thread.sleep(300);
        }
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("fields_compared_with_pg_control_functions", compared);
        check.put("mismatches", mismatches);
        info.put("pg_controldata_shim_check", check);
        if (!mismatches.isEmpty()) {
            throw new IllegalStateException("the pg_controldata shim disagrees with the server: " + mismatches);
        }
        Bench.say("Patroni: pg_controldata shim agrees with pg_control_*() on all " + compared + " fields");
    }

    private Map<String, String> runShim() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(dir.resolve("bin/pg_controldata").toString(), dataDir.toString());
        pb.environment().put("LANG", "C");
        pb.environment().put("LC_ALL", "C");
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the pg_controldata shim failed: " + out.strip());
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                m.put(line.substring(0, colon), line.substring(colon + 1).strip()); // how Patroni parses it
            }
        }
        return m;
    }

    /** The server's view, rendered the way pg_controldata prints it (labels as keys). */
    private Map<String, String> serverControlData() throws Exception {
        Map<String, String> row = new LinkedHashMap<>();
        try (Connection c = connect(Integer.parseInt(String.valueOf(info.get("pg_port")))); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT *,
                       extract(epoch FROM pg_control_last_modified)::bigint AS last_modified_epoch,
                       extract(epoch FROM checkpoint_time)::bigint AS checkpoint_epoch,
                       current_setting('wal_level') AS wal_level, current_setting('wal_log_hints') AS wal_log_hints,
                       current_setting('max_connections') AS max_connections,
                       current_setting('max_worker_processes') AS max_worker_processes,
                       current_setting('max_wal_senders') AS max_wal_senders,
                       current_setting('max_prepared_transactions') AS max_prepared_transactions,
                       current_setting('max_locks_per_transaction') AS max_locks_per_transaction,
                       current_setting('track_commit_timestamp') AS track_commit_timestamp
                     FROM pg_control_system(), pg_control_checkpoint(), pg_control_recovery(), pg_control_init()""")) {
            rs.next();
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                row.put(md.getColumnLabel(i), rs.getString(i));
            }
        }
        // pg_controldata prints times with strftime("%c") in local time: "%a %b %e %H:%M:%S %Y" in the C locale
        DateTimeFormatter ctime = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT).withZone(ZoneId.systemDefault());
        Map<String, String> m = new LinkedHashMap<>();
        m.put("pg_control version number", row.get("pg_control_version"));
        m.put("Catalog version number", row.get("catalog_version_no"));
        m.put("Database system identifier", row.get("system_identifier"));
        m.put("pg_control last modified", ctime.format(Instant.ofEpochSecond(Long.parseLong(row.get("last_modified_epoch")))));
        m.put("Latest checkpoint location", row.get("checkpoint_lsn"));
        m.put("Latest checkpoint's REDO location", row.get("redo_lsn"));
        m.put("Latest checkpoint's REDO WAL file", row.get("redo_wal_file"));
        m.put("Latest checkpoint's TimeLineID", row.get("timeline_id"));
        m.put("Latest checkpoint's PrevTimeLineID", row.get("prev_timeline_id"));
        m.put("Latest checkpoint's full_page_writes", onOff(row.get("full_page_writes")));
        m.put("Latest checkpoint's NextXID", row.get("next_xid"));
        m.put("Latest checkpoint's NextOID", row.get("next_oid"));
        m.put("Latest checkpoint's NextMultiXactId", row.get("next_multixact_id"));
        m.put("Latest checkpoint's NextMultiOffset", row.get("next_multi_offset"));
        m.put("Latest checkpoint's oldestXID", row.get("oldest_xid"));
        m.put("Latest checkpoint's oldestXID's DB", row.get("oldest_xid_dbid"));
        m.put("Latest checkpoint's oldestActiveXID", row.get("oldest_active_xid"));
        m.put("Latest checkpoint's oldestMultiXid", row.get("oldest_multi_xid"));
        m.put("Latest checkpoint's oldestMulti's DB", row.get("oldest_multi_dbid"));
        m.put("Latest checkpoint's oldestCommitTsXid", row.get("oldest_commit_ts_xid"));
        m.put("Latest checkpoint's newestCommitTsXid", row.get("newest_commit_ts_xid"));
        m.put("Time of latest checkpoint", ctime.format(Instant.ofEpochSecond(Long.parseLong(row.get("checkpoint_epoch")))));
        m.put("Minimum recovery ending location", row.get("min_recovery_end_lsn"));
        m.put("Min recovery ending loc's timeline", row.get("min_recovery_end_timeline"));
        m.put("Backup start location", row.get("backup_start_lsn"));
        m.put("Backup end location", row.get("backup_end_lsn"));
        m.put("End-of-backup record required", "t".equals(row.get("end_of_backup_record_required")) ? "yes" : "no");
        // the control file holds the settings the server started with (XLogReportParameters): the running ones
        m.put("wal_level setting", row.get("wal_level"));
        m.put("wal_log_hints setting", row.get("wal_log_hints"));
        m.put("max_connections setting", row.get("max_connections"));
        m.put("max_worker_processes setting", row.get("max_worker_processes"));
        m.put("max_wal_senders setting", row.get("max_wal_senders"));
        m.put("max_prepared_xacts setting", row.get("max_prepared_transactions"));
        m.put("max_locks_per_xact setting", row.get("max_locks_per_transaction"));
        m.put("track_commit_timestamp setting", row.get("track_commit_timestamp"));
        m.put("Maximum data alignment", row.get("max_data_alignment"));
        m.put("Database block size", row.get("database_block_size"));
        m.put("Blocks per segment of large relation", row.get("blocks_per_segment"));
        m.put("WAL block size", row.get("wal_block_size"));
        m.put("Bytes per WAL segment", row.get("bytes_per_wal_segment"));
        m.put("Maximum length of identifiers", row.get("max_identifier_length"));
        m.put("Maximum columns in an index", row.get("max_index_columns"));
        m.put("Maximum size of a TOAST chunk", row.get("max_toast_chunk_size"));
        m.put("Size of a large-object chunk", row.get("large_object_chunk_size"));
        m.put("Float8 argument passing", "t".equals(row.get("float8_pass_by_value")) ? "by value" : "by reference");
        m.put("Data page checksum version", row.get("data_page_checksum_version"));
        m.put("Default char data signedness", "t".equals(row.get("default_char_signedness")) ? "signed" : "unsigned");
        // "Database cluster state" is not exposed by SQL; a running primary's control file says "in production"
        m.put("Database cluster state", "in production");
        return m;
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static String onOff(String pgBool) {
        return "t".equals(pgBool) ? "on" : "off";
    }

    private static Connection connect(int port) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", SUPERUSER_PASSWORD);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
    }

    /** PostgreSQL refuses to run as root; as root, run through {@code unshare -U} exactly like the test harness. */
    private static List<String> asNonRoot() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/unshare"))
                ? List.of("unshare", "-U") : List.of();
    }

    /** zonky's extracted binaries (bench/target/work/pg/bin/&lt;hash&gt;/bin), the ones the daemons' PG runs on. */
    private Path zonkyBinDir() throws IOException {
        try (Stream<Path> dirs = Files.list(bench.work.resolve("pg/bin"))) {
            return dirs.map(d -> d.resolve("bin")).filter(d -> Files.isExecutable(d.resolve("postgres")))
                    .findFirst().orElseThrow(() -> new IllegalStateException("zonky's PG 18 binaries not found under "
                            + bench.work.resolve("pg/bin")));
        }
    }

    private static Map<String, String> parseDeps(String line) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : line.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                m.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return m;
    }

    private static void awaitHttp200(InetSocketAddress addr, String path, int seconds, Process owner, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (Bench.Http.status(addr, path) != 200) {
            if (!owner.isAlive()) {
                throw new IllegalStateException(owner.info().command().orElse("process") + " exited (code "
                        + owner.exitValue() + "): see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("http://" + addr.getHostString() + ":" + addr.getPort() + path
                        + " not 200 within " + seconds + " s: see " + log);
            }
            Thread.sleep(100);
        }
    }

    private static String firstLine(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out.lines().findFirst().orElse("?").strip();
        } catch (IOException | InterruptedException e) {
            return "? (" + e.getMessage() + ")";
        }
    }

    private static double rssMb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) / 1024.0;
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }
}
