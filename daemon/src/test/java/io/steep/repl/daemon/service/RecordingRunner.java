package io.steep.repl.daemon.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stands in for the OS service manager only: records every command and answers from a script (longest matching
 * argv prefix wins; anything unscripted succeeds with no output). Files are still really written by the code
 * under test.
 */
public final class RecordingRunner implements CommandRunner {

    private final List<Command> calls = new ArrayList<>();
    private final Map<String, Result> script = new LinkedHashMap<>();

    public RecordingRunner() {
        answer("id -u", 0, "0\n");           // root unless a test says otherwise
    }

    public RecordingRunner answer(String argvPrefix, int exitCode, String output) {
        script.put(argvPrefix, new Result(exitCode, output));
        return this;
    }

    @Override
    public Result run(Command command) {
        calls.add(command);
        String line = String.join(" ", command.argv());
        Result best = new Result(0, "");
        int bestLength = -1;
        for (Map.Entry<String, Result> e : script.entrySet()) {
            if ((line.equals(e.getKey()) || line.startsWith(e.getKey() + " ")) && e.getKey().length() > bestLength) {
                best = e.getValue();
                bestLength = e.getKey().length();
            }
        }
        return best;
    }

    /** Every command run, as "argv joined by spaces". */
    public List<String> lines() {
        return calls.stream().map(c -> String.join(" ", c.argv())).toList();
    }

    /** The commands that change something: without the read-only probes (id, query, print, list, session). */
    public List<String> changes() {
        return lines().stream().filter(l -> !l.startsWith("id ") && !l.startsWith("sc.exe query")
                && !l.startsWith("sc.exe qc") && !l.startsWith("launchctl print") && !l.startsWith("net session")
                && !l.startsWith("dscl . -list") && !l.contains(" show ")).toList();
    }

    public List<Command> calls() {
        return List.copyOf(calls);
    }
}
