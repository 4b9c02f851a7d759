package io.steep.repl.daemon;

import io.steep.repl.testing.PgServer;

/**
 * Takes the shared test server away and brings it back with its data. The harness's stop() closes zonky's
 * EmbeddedPostgres, which deletes a data directory it created "clean" unless {@code ot.epg.no-cleanup} is set —
 * so without this the restarted server would be a fresh cluster with none of the test's databases.
 * (Harness bug reported to the lead; this keeps daemon tests independent of the fix.)
 */
public final class Outage {

    private Outage() {
    }

    public static void stop(PgServer pg, PgServer.StopMode mode) {
        System.setProperty("ot.epg.no-cleanup", "true");
        pg.stop(mode);
    }

    public static void start(PgServer pg) {
        pg.start();
    }
}
