package io.steep.repl.daemon;

import io.steep.repl.daemon.cli.SteepReplCommand;

/**
 * Entry point of {@code steep-repl}. Also the entry point of the Windows service (procrun jvm mode calls
 * {@code main(["run", "--config", …])} and treats the service as running until it returns; its stop calls
 * {@code System.exit(0)}, which runs the same shutdown hook as SIGTERM).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(SteepReplCommand.execute(args));
    }
}
