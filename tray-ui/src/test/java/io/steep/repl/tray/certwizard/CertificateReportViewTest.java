package io.steep.repl.tray.certwizard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.tray.testing.FakeDaemon;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CertificateReportViewTest {

    @Test
    void showsSubjectSansExpiryFingerprintAndFiles() {
        ObjectNode answer = FakeDaemon.json().put("certificate", "/c/node-cert.pem").put("key", "/c/node-key.pem");
        ObjectNode r = answer.putObject("report").put("subject", "CN=node-a").put("notAfter", "2027-11-25T00:00:00Z")
                .put("daysLeft", 365).put("sha256Fingerprint", "AB:CD");
        r.putArray("subjectAltNames").add("DNS:node-a.example").add("IP:10.0.0.1");
        r.putArray("warnings").add("expires soon");
        assertThat(CertificateReportView.lines(answer)).contains("Subject: CN=node-a", "SANs: DNS:node-a.example, IP:10.0.0.1",
                "Expires: 2027-11-25T00:00:00Z (365 days left)", "SHA-256 fingerprint: AB:CD",
                "Certificate file: /c/node-cert.pem", "Private key file: /c/node-key.pem", "⚠ expires soon");
    }

    @Test
    void readsSnakeCaseAndMarksExpired() {
        ObjectNode r = FakeDaemon.json().put("subject", "CN=x").put("not_after", "2020-01-01T00:00:00Z").put("days_left", -3)
                .put("sha256_fingerprint", "EF");
        assertThat(CertificateReportView.lines(r)).contains("SANs: none", "Expires: 2020-01-01T00:00:00Z (EXPIRED)", "SHA-256 fingerprint: EF");
    }
}
