package io.steep.repl.tray.certwizard;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the certificate report the daemon's {@code certs.*} answers carry (subject, SANs, expiry, fingerprint) into
 * display lines. Accepts the report itself or an answer holding it under {@code report}. The daemon writes camelCase
 * ({@code CertsJson}, as {@code tls show --json}); snake_case is read too, for hand-written answers.
 */
public final class CertificateReportView {

    private CertificateReportView() {
    }

    static JsonNode field(JsonNode n, String camel, String snake) {
        JsonNode v = n.get(camel);
        return v != null ? v : n.path(snake);
    }

    public static List<String> lines(JsonNode answer) {
        List<String> out = new ArrayList<>();
        if (answer == null || answer.isNull()) {
            return out;
        }
        JsonNode r = answer.has("report") ? answer.get("report") : answer;
        out.add("Subject: " + r.path("subject").asText("?"));
        JsonNode issuer = r.get("issuer");
        if (issuer != null) {
            out.add("Issuer: " + issuer.asText());
        }
        List<String> sans = new ArrayList<>();
        field(r, "subjectAltNames", "subject_alt_names").forEach(s -> sans.add(s.asText()));
        out.add("SANs: " + (sans.isEmpty() ? "none" : String.join(", ", sans)));
        JsonNode days = field(r, "daysLeft", "days_left");
        out.add("Expires: " + field(r, "notAfter", "not_after").asText("?")
                + (days.isNumber() ? (days.asLong() < 0 ? " (EXPIRED)" : " (" + days.asLong() + " days left)") : ""));
        out.add("SHA-256 fingerprint: " + field(r, "sha256Fingerprint", "sha256_fingerprint").asText("?"));
        for (String f : List.of("certificate", "key", "caCertificate", "ca_certificate", "csr")) {
            JsonNode p = answer.get(f);
            if (p != null && p.isTextual()) {
                out.add(label(f) + ": " + p.asText());
            }
        }
        if (!answer.has("certificate") && r.hasNonNull("file")) {
            out.add("File: " + r.path("file").asText());
        }
        field(r, "warnings", "warnings").forEach(w -> out.add("⚠ " + w.asText()));
        return out;
    }

    private static String label(String field) {
        return switch (field) {
            case "certificate" -> "Certificate file";
            case "key" -> "Private key file";
            case "csr" -> "CSR file";
            default -> "CA certificate file";
        };
    }
}
