package io.steep.repl.daemon.service;

import java.util.List;
import java.util.Map;

/**
 * One external program run as an argument vector (never through a shell), with environment overrides.
 *
 * @param argv the program and its arguments
 * @param env  variables added to the inherited environment (e.g. {@code LC_ALL=C} for parsable output)
 */
public record Command(List<String> argv, Map<String, String> env) {

    public Command {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv), Map.of());
    }

    public static Command of(List<String> argv) {
        return new Command(argv, Map.of());
    }

    public String program() {
        return argv.getFirst();
    }
}
