package io.steep.repl.daemon.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Loads the service templates from this package's resources and fills in their {@code @NAME@} placeholders. */
final class Templates {

    private static final Pattern PLACEHOLDER = Pattern.compile("@([A-Z_]+)@");

    private Templates() {
    }

    static String load(String name) {
        try (InputStream in = Templates.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the steep-repl jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Replaces every placeholder; a line that consisted of one placeholder whose value is empty disappears, so
     * optional directives leave no blank line. Comment lines are left alone (they mention {@code @PLACEHOLDERS@}).
     * An unknown placeholder is a bug in the template, not in the user's input: fail loudly.
     */
    static String fill(String template, Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        for (String line : template.split("\n", -1)) {
            if (line.startsWith("#")) {
                out.append(line).append('\n');
                continue;
            }
            Matcher m = PLACEHOLDER.matcher(line);
            StringBuilder filled = new StringBuilder();
            while (m.find()) {
                String value = values.get(m.group(1));
                if (value == null) {
                    throw new IllegalStateException("template placeholder @" + m.group(1) + "@ has no value");
                }
                m.appendReplacement(filled, Matcher.quoteReplacement(value));
            }
            m.appendTail(filled);
            if (filled.isEmpty() && !line.isEmpty()) {
                continue;
            }
            out.append(filled).append('\n');
        }
        // split(-1) yields a trailing empty string for the final newline; don't double it
        out.setLength(out.length() - 1);
        return out.toString();
    }
}
