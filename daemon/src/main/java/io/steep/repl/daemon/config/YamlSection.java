package io.steep.repl.daemon.config;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One mapping of the composed YAML tree, read key by key with types and ranges checked. Problems are collected
 * (not thrown) so a user fixing a file sees all of them at once, each as {@code file:line: key: expected …, got …}.
 * Keys never read are unknown keys and reported by {@link #rejectUnknown()}.
 */
final class YamlSection {

    private final String file;
    private final String path;
    private final Node anchor;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Set<String> used = new HashSet<>();
    private final List<String> problems;

    YamlSection(String file, String path, Node node, Node anchor, List<String> problems) {
        this.file = file;
        this.path = path;
        this.anchor = anchor;
        this.problems = problems;
        if (node instanceof MappingNode mapping) {
            for (NodeTuple t : mapping.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    problem(t.getKeyNode(), path + ".?", "expected a plain key, got a " + kind(t.getKeyNode()));
                    continue;
                }
                if (entries.putIfAbsent(k.getValue(), t) != null) {
                    problem(k, qualified(k.getValue()), "duplicate key (first set on line "
                            + line(entries.get(k.getValue()).getKeyNode()) + ")");
                }
            }
        } else if (node != null && !isNull(node)) {
            problem(node, path, "expected a section (key: value lines), got a " + kind(node));
        }
    }

    String qualified(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        return entries.containsKey(key) && !isNull(entries.get(key).getValueNode());
    }

    /** Where this section starts (the line of its key, or of the parent when absent). */
    int line() {
        return line(anchor);
    }

    /** A problem with {@code key}: reported at the key's line when present, else at this section's line. */
    void problemHere(String key, String message) {
        NodeTuple t = entries.get(key);
        problems.add(file + ":" + (t == null ? line() : line(t.getKeyNode())) + ": " + qualified(key) + ": " + message);
    }

    YamlSection section(String key) {
        used.add(key);
        NodeTuple t = entries.get(key);
        if (t == null) {
            return new YamlSection(file, qualified(key), null, anchor, problems);
        }
        return new YamlSection(file, qualified(key), t.getValueNode(), t.getKeyNode(), problems);
    }

    Optional<String> optString(String key) {
        return scalar(key, "a string", v -> v.isBlank() ? null : v);
    }

    String string(String key, String defaultValue) {
        return optString(key).orElse(defaultValue);
    }

    int integer(String key, int min, int max, int defaultValue) {
        return scalar(key, "an integer " + min + ".." + max, v -> {
            try {
                int i = Integer.parseInt(v.strip());
                return i >= min && i <= max ? i : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }).orElse(defaultValue);
    }

    boolean bool(String key, boolean defaultValue) {
        return scalar(key, "true or false", v -> switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> Boolean.TRUE;
            case "false", "no", "off" -> Boolean.FALSE;
            default -> null;
        }).orElse(defaultValue);
    }

    Duration duration(String key, Duration min, Duration defaultValue) {
        return scalar(key, "a duration of at least " + Durations.format(min) + " like 1s, 500ms, 1h30m or 17520h", v -> {
            try {
                Duration d = Durations.parse(v);
                return d.compareTo(min) >= 0 ? d : null;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }).orElse(defaultValue);
    }

    <T> Optional<T> oneOf(String key, List<String> allowed, Function<String, T> map) {
        return scalar(key, "one of " + String.join(", ", allowed),
                v -> allowed.contains(v.strip()) ? map.apply(v.strip()) : null);
    }

    /**
     * A list of scalars. {@code splitScalar}: a plain string is accepted too and split on whitespace
     * (used for argv-style settings such as password_command).
     */
    Optional<List<String>> stringList(String key, String expected, boolean splitScalar, Function<String, String> checkItem) {
        used.add(key);
        NodeTuple t = entries.get(key);
        if (t == null || isNull(t.getValueNode())) {
            return Optional.empty();
        }
        Node n = t.getValueNode();
        List<String> out = new ArrayList<>();
        if (n instanceof ScalarNode s && splitScalar) {
            for (String part : s.getValue().strip().split("\\s+")) {
                if (!part.isEmpty()) {
                    out.add(part);
                }
            }
            if (out.isEmpty()) {
                problem(n, qualified(key), "expected " + expected + ", got an empty string");
                return Optional.empty();
            }
        } else if (n instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                if (!(item instanceof ScalarNode s) || isNull(item)) {
                    problem(item, qualified(key), "expected " + expected + ", got a " + kind(item) + " item");
                    continue;
                }
                String bad = checkItem.apply(s.getValue());
                if (bad != null) {
                    problem(item, qualified(key), "expected " + expected + ", got " + quote(s.getValue()) + " (" + bad + ")");
                    continue;
                }
                out.add(s.getValue());
            }
        } else {
            problem(n, qualified(key), "expected " + expected + ", got a " + kind(n));
            return Optional.empty();
        }
        return Optional.of(List.copyOf(out));
    }

    void rejectUnknown(String hint) {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            if (!used.contains(e.getKey())) {
                problem(e.getValue().getKeyNode(), qualified(e.getKey()), "unknown key (" + hint + ")");
            }
        }
    }

    /** Marks a key as handled (reported by the caller) so it is not also called unknown. */
    void handled(String key) {
        used.add(key);
    }

    Set<String> keys() {
        return entries.keySet();
    }

    private <T> Optional<T> scalar(String key, String expected, Function<String, T> convert) {
        used.add(key);
        NodeTuple t = entries.get(key);
        if (t == null || isNull(t.getValueNode())) {
            return Optional.empty();
        }
        Node n = t.getValueNode();
        if (!(n instanceof ScalarNode s)) {
            problem(n, qualified(key), "expected " + expected + ", got a " + kind(n));
            return Optional.empty();
        }
        T value = convert.apply(s.getValue());
        if (value == null) {
            problem(n, qualified(key), "expected " + expected + ", got " + quote(s.getValue()));
            return Optional.empty();
        }
        return Optional.of(value);
    }

    private void problem(Node at, String key, String message) {
        problems.add(file + ":" + line(at) + ": " + key + ": " + message);
    }

    static int line(Node n) {
        return n == null || n.getStartMark() == null ? 1 : n.getStartMark().getLine() + 1;
    }

    static boolean isNull(Node n) {
        return n instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }

    static String kind(Node n) {
        return switch (n) {
            case MappingNode m -> "section";
            case SequenceNode s -> "list";
            default -> "value";
        };
    }

    static String quote(String v) {
        String shown = v.length() > 60 ? v.substring(0, 60) + "…" : v;
        return "\"" + shown.replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
