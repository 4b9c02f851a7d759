package io.steep.repl.tray.traymenu;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.tray.connection.NodeRow;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the tray icon says: a level (icon colour) and the tooltip. A pure function of what the daemon reported,
 * so every rule below is unit-tested without a display.
 *
 * @param reasons one line per problem, shown in the tooltip and the health notification; empty when healthy
 */
public record TrayState(Level level, String tooltip, List<String> reasons) {

    /** Icon states; {@link #icon()} names the PNG in the icons module. */
    public enum Level {
        HEALTHY("tray-healthy", "healthy"),
        DEGRADED("tray-degraded", "degraded"),
        UNHEALTHY("tray-unhealthy", "unhealthy"),
        UNREACHABLE("tray-unreachable", "daemon not reachable");

        private final String icon;
        private final String label;

        Level(String icon, String label) {
            this.icon = icon;
            this.label = label;
        }

        public String icon() {
            return icon;
        }

        public String label() {
            return label;
        }
    }

    /** Certificates expiring within this many days turn the icon amber (the daemon's own warning threshold). */
    public static final int CERT_WARN_DAYS = 30;
    public static final int MIN_PG_MAJOR = 18;

    public TrayState {
        reasons = List.copyOf(reasons);
    }

    public static TrayState unreachable(String why) {
        return new TrayState(Level.UNREACHABLE, "steep-repl: daemon not reachable\n" + why, List.of(why));
    }

    /**
     * @param status a {@code status.get} result, {@code health} a {@code health.check} result, {@code certs} a
     *               {@code certs.status} result (null when the daemon has none), {@code nodes} the {@code nodes.list} rows
     */
    public static TrayState of(JsonNode status, JsonNode health, JsonNode certs, List<NodeRow> nodes) {
        List<String> unhealthy = new ArrayList<>();
        List<String> warnings = new ArrayList<>();

        String overall = health == null ? "" : health.path("status").asText("");
        if (health != null) {
            health.path("components").properties().forEach(c -> {
                if (!c.getValue().path("healthy").asBoolean(true)) {
                    String msg = c.getValue().path("message").asText(c.getValue().path("status").asText("unhealthy"));
                    unhealthy.add(c.getKey() + ": " + msg);
                } else if (!c.getValue().path("message").asText("").isEmpty() && !c.getKey().equals("certificate")) {
                    // healthy with a message is how the daemon says "degraded" (audit events kept aside, the spool
                    // unwritable…): name it, or the tray is amber without a reason. Certificates are named below,
                    // from certs.status, once each.
                    warnings.add(c.getKey() + ": " + c.getValue().path("message").asText());
                }
            });
        }
        if (status != null && status.has("postgresql") && !status.path("postgresql").path("connected").asBoolean(true)) {
            if (unhealthy.stream().noneMatch(s -> s.startsWith("postgresql"))) {
                unhealthy.add("postgresql: not connected");
            }
        }
        String pgVersion = status == null ? "" : status.path("postgresql").path("version").asText("");
        int major = pgMajor(pgVersion);
        if (major > 0 && major < MIN_PG_MAJOR) {
            warnings.add("PostgreSQL " + pgVersion + " is older than " + MIN_PG_MAJOR + ": steep_repl needs " + MIN_PG_MAJOR + " or later");
        }
        certWarnings(certs, warnings, new HashSet<>());
        long down = nodes.stream().filter(n -> n.status().equals("unreachable")).count();
        if (down > 0) {
            warnings.add(down == 1 ? "1 peer unreachable" : down + " peers unreachable");
        }

        Level level;
        if (overall.equals("unhealthy") || (!unhealthy.isEmpty() && !overall.equals("degraded"))) {
            level = Level.UNHEALTHY;
        } else if (overall.equals("degraded") || !unhealthy.isEmpty() || !warnings.isEmpty()) {
            level = Level.DEGRADED;
        } else {
            level = Level.HEALTHY;
        }
        List<String> reasons = new ArrayList<>(unhealthy);
        reasons.addAll(warnings);
        if (level != Level.HEALTHY && reasons.isEmpty()) {
            reasons.add("daemon reports " + overall);
        }
        return new TrayState(level, tooltip(level, status, pgVersion, nodes, reasons), reasons);
    }

    private static String tooltip(Level level, JsonNode status, String pgVersion, List<NodeRow> nodes, List<String> reasons) {
        StringBuilder t = new StringBuilder("steep-repl: ").append(level.label());
        JsonNode node = status == null ? null : status.path("node");
        if (node != null && !node.path("node_id").asText("").isEmpty()) {
            String name = node.path("node_name").asText("");
            t.append("\nNode: ").append(node.path("node_id").asText());
            if (!name.isEmpty() && !name.equals(node.path("node_id").asText())) {
                t.append(" (").append(name).append(')');
            }
        }
        t.append("\nPostgreSQL: ").append(pgVersion.isEmpty() ? "unknown" : pgVersion);
        int size = nodes.isEmpty() && node != null ? node.path("cluster_size").asInt(0) : nodes.size();
        t.append("\nCluster: ").append(size).append(size == 1 ? " node" : " nodes");
        String coordinator = nodes.stream().filter(NodeRow::coordinator).map(NodeRow::nodeId).findFirst()
                .orElse(node != null && node.path("is_coordinator").asBoolean() ? node.path("node_id").asText() : "none");
        t.append(", coordinator ").append(coordinator);
        reasons.forEach(r -> t.append("\n• ").append(r));
        return t.toString();
    }

    private static final Pattern MAJOR = Pattern.compile("^\\s*(?:PostgreSQL\\s+)?(\\d+)");

    /** "18.1", "17.6 (Debian…)", "PostgreSQL 16.4" → major; 0 when unknown. */
    static int pgMajor(String version) {
        Matcher m = MAJOR.matcher(version);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /**
     * Collects every certificate report's days left and warnings, wherever the daemon nests them — once per
     * certificate: {@code certs.status} names the CA and the node certificate both by role and again in its list of
     * the directory's files.
     */
    private static void certWarnings(JsonNode certs, List<String> out, Set<String> seen) {
        if (certs == null || certs.isNull()) {
            return;
        }
        if (certs.isObject()) {
            JsonNode days = certs.has("daysLeft") ? certs.get("daysLeft") : certs.get("days_left");
            String identity = certs.path("sha256Fingerprint").asText(certs.path("file").asText(""));
            if (days != null && days.isNumber() && (identity.isEmpty() || seen.add(identity))) {
                String what = certs.path("subject").asText("a certificate");
                long d = days.asLong();
                if (d < 0) {
                    out.add("certificate " + what + " has expired");
                } else if (d <= CERT_WARN_DAYS) {
                    out.add("certificate " + what + " expires in " + d + (d == 1 ? " day" : " days"));
                }
            }
            certs.properties().forEach(e -> {
                if (!e.getKey().equals("warnings")) {
                    certWarnings(e.getValue(), out, seen);
                }
            });
        } else if (certs.isArray()) {
            certs.forEach(c -> certWarnings(c, out, seen));
        }
    }
}
