package io.steep.repl.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The side-by-side with Patroni's REST {@code /health}. Not measured on this machine, and never faked: the
 * reason is recorded in results.json and docs/benchmarks.md. When a Patroni managing a PostgreSQL 18 is running
 * (set {@code BENCH_PATRONI_URL}, e.g. {@code http://127.0.0.1:8008}), its {@code /health} is measured with
 * exactly the same load as the daemon's.
 */
final class PatroniSideBySide {
    private final Bench bench;

    PatroniSideBySide(Bench bench) {
        this.bench = bench;
    }

    void run() throws Exception {
        String url = System.getenv("BENCH_PATRONI_URL");
        if (url == null || url.isBlank()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("measured", false);
            m.put("reason", "PyPI is not reachable here; Debian 12's patroni 3.0.2 (apt) runs with etcd-server 3.4, but "
                    + "its bootstrap of a PostgreSQL 18 cluster needs pg_controldata, which zonky's PG 18 binaries do not "
                    + "ship, and Debian 12 has no PostgreSQL 18 package; its raft DCS is not available in that build. "
                    + "Point BENCH_PATRONI_URL at a running Patroni to measure it side by side.");
            bench.results.put("patroni", m);
            return;
        }
        java.net.URI u = java.net.URI.create(url);
        bench.health(new java.net.InetSocketAddress(u.getHost(), u.getPort()), "patroni_health", "Patroni /health " + url);
    }
}
