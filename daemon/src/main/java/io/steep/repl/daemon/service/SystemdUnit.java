package io.steep.repl.daemon.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.stream.Collectors;

/**
 * The steep-repl systemd unit, rendered from {@code steep-repl.service.template} (system) or
 * {@code steep-repl-user.service.template} (user). Pure: the installers' DEB build renders the same unit.
 *
 * @param scope       system unit ({@code User=steep-repl}, sandboxed) or user unit
 * @param launcher    absolute path of the installed launcher
 * @param configFile  absolute path of config.yaml, passed as {@code run --config <file>}
 * @param environment extra {@code Environment=} variables (e.g. JAVA_HOME for the plain distribution)
 */
public record SystemdUnit(ServiceScope scope, String launcher, String configFile, SequencedMap<String, String> environment) {

    public static final String UNIT_NAME = "steep-repl.service";
    public static final String SERVICE_USER = "steep-repl";

    public SystemdUnit {
        if (!launcher.startsWith("/") || !configFile.startsWith("/")) {
            throw new IllegalArgumentException("systemd needs absolute paths: " + launcher + ", " + configFile);
        }
    }

    /** The daemon's argument vector. */
    public List<String> execStart() {
        return List.of(launcher, "run", "--config", configFile);
    }

    public String render() {
        String template = Templates.load(scope.system() ? "steep-repl.service.template" : "steep-repl-user.service.template");
        String configDir = configFile.substring(0, Math.max(1, configFile.lastIndexOf('/')));
        return Templates.fill(template, Map.of(
                "EXEC_START", execStart().stream().map(SystemdUnit::quote).collect(Collectors.joining(" ")),
                "ENVIRONMENT", environment.entrySet().stream()
                        .map(e -> "Environment=" + quote(e.getKey() + "=" + e.getValue()))
                        .collect(Collectors.joining("\n")),
                // "-": a config directory that does not exist yet must not stop the unit from starting
                "READ_WRITE_PATHS", "-" + quote(configDir)));
    }

    /** The sysusers.d(5) entry that creates the system unit's account. */
    public static String sysusers() {
        return Templates.load("steep-repl.sysusers.template");
    }

    /**
     * One word of a unit-file command line or path list: {@code %} is a specifier and {@code $} a variable in
     * systemd's syntax, so both are doubled; a word with white space, quotes, backslashes or {@code ;} is
     * double-quoted with C-style escapes.
     */
    static String quote(String word) {
        String escaped = word.replace("%", "%%").replace("$", "$$");
        boolean plain = !escaped.isEmpty() && escaped.chars().noneMatch(c ->
                Character.isWhitespace(c) || c == '"' || c == '\'' || c == '\\' || c == ';');
        if (plain) {
            return escaped;
        }
        List<String> parts = new ArrayList<>();
        for (char c : escaped.toCharArray()) {
            parts.add(switch (c) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\t' -> "\\t";
                default -> String.valueOf(c);
            });
        }
        return "\"" + String.join("", parts) + "\"";
    }
}
