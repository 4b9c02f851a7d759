package io.steep.repl.bench;

/** Placeholder replaced below. */
final class PatroniSideBySide {
    private final Bench bench;

    PatroniSideBySide(Bench bench) {
        this.bench = bench;
    }

    void run() {
        bench.results.put("patroni", "not run");
    }
}
