package io.steep.repl.daemon.service;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Windows command-line quoting, the rules CommandLineToArgvW and the MSVC runtime use to split a command line
 * back into arguments: an argument with spaces, tabs or quotes is wrapped in double quotes; an embedded quote
 * becomes {@code \"}; backslashes are literal except directly before a quote (embedded or the closing one), where
 * each is doubled. {@code C:\Program Files\steep-repl\} thus renders as {@code "C:\Program Files\steep-repl\\"}.
 */
public final class WindowsCommandLine {

    private WindowsCommandLine() {
    }

    public static String quote(String arg) {
        if (!arg.isEmpty() && arg.chars().noneMatch(c -> c == ' ' || c == '\t' || c == '"' || c == '\n' || c == '\u000b')) {
            return arg;
        }
        StringBuilder out = new StringBuilder("\"");
        int backslashes = 0;
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == '\\') {
                backslashes++;
                continue;
            }
            if (c == '"') {
                out.append("\\".repeat(backslashes * 2 + 1)).append('"');
            } else {
                out.append("\\".repeat(backslashes)).append(c);
            }
            backslashes = 0;
        }
        out.append("\\".repeat(backslashes * 2)).append('"');
        return out.toString();
    }

    public static String render(List<String> argv) {
        return argv.stream().map(WindowsCommandLine::quote).collect(Collectors.joining(" "));
    }
}
