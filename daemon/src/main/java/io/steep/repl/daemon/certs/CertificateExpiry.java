package io.steep.repl.daemon.certs;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;

/**
 * How long the daemon's own certificate has left: the figure {@code status.get}, {@code /health} (a warning
 * component under {@link CertificateReport#WARN_DAYS} days) and {@code /metrics} report.
 *
 * @param daysLeft whole days until {@code notAfter}; negative once expired
 */
public record CertificateExpiry(Path file, String nodeId, Instant notAfter, long secondsLeft, long daysLeft) {

    public boolean expired() {
        return secondsLeft <= 0;
    }

    /** True within {@link CertificateReport#WARN_DAYS} days of expiry (and once expired). */
    public boolean expiringSoon() {
        return daysLeft < CertificateReport.WARN_DAYS;
    }

    /** Reads {@code certFile} (e.g. the configured {@code grpc.tls.cert_file}); throws {@link CertsException}. */
    public static CertificateExpiry of(Path certFile, Clock clock) {
        return of(certFile, PemFiles.readCertificate(certFile), clock);
    }

    public static CertificateExpiry of(Path certFile, X509Certificate certificate, Clock clock) {
        Instant now = clock.instant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        return new CertificateExpiry(certFile, NodeIdentity.of(certificate).orElse(null), notAfter,
                notAfter.getEpochSecond() - now.getEpochSecond(), daysBetween(now, notAfter));
    }

    /** Whole days from {@code now} to {@code end}, rounded down (so "0 days" means less than 24 hours left). */
    static long daysBetween(Instant now, Instant end) {
        return Math.floorDiv(end.getEpochSecond() - now.getEpochSecond(), 86_400L);
    }
}
