package io.steep.repl.daemon.faults;

import io.steep.repl.daemon.TestConfigs;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.lifecycle.Daemon;
import io.steep.repl.daemon.lifecycle.DaemonContext;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A child-process daemon for {@link DaemonCrashTest}: the real {@link Daemon} on a config file, then a stream of
 * {@code test.event} audit events, printing {@code acked N} after event N is durable (record returned). The test
 * kills it with SIGKILL at a moment of its choosing.
 */
public final class AuditingDaemonMain {

    private AuditingDaemonMain() {
    }

    public static void main(String[] args) throws Exception {
        DaemonConfig config = TestConfigs.load(Path.of(args[0]), Map.of());
        Daemon daemon = new Daemon(config, FaultDaemons.FAST, List.of(), List.of());
        DaemonContext ctx = daemon.start();
        System.out.println("started");
        System.out.flush();
        for (int seq = 0; ; seq++) {
            ctx.audit("test.event", "test", "crash", Map.of("seq", seq));
            System.out.println("acked " + seq);
            System.out.flush();
            Thread.sleep(2);
        }
    }
}
