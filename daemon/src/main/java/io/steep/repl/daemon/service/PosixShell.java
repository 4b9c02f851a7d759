package io.steep.repl.daemon.service;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Renders an argument vector the way it would be typed into sh, for dry-run output and error messages. */
final class PosixShell {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private PosixShell() {
    }

    static String quote(String arg) {
        if (!arg.isEmpty() && SAFE.matcher(arg).matches()) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    static String render(List<String> argv) {
        return argv.stream().map(PosixShell::quote).collect(Collectors.joining(" "));
    }
}
