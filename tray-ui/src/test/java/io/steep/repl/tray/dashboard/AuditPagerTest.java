package io.steep.repl.tray.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditPagerTest {

    @Test
    void pagesThroughTheTotalAndStopsAtTheEnds() {
        AuditPager p = AuditPager.first(50).withTotal(120);
        assertThat(p.label()).isEqualTo("1–50 of 120");
        assertThat(p.hasPrevious()).isFalse();
        p = p.next().next();
        assertThat(p.label()).isEqualTo("101–120 of 120");
        assertThat(p.hasNext()).isFalse();
        assertThat(p.next()).isEqualTo(p);
        assertThat(p.previous().previous().previous().offset()).isZero();
        assertThat(AuditPager.first(50).label()).isEqualTo("no entries");
    }

    @Test
    void newFiltersRestartAtTheFirstPageAndBecomeUpstreamParams() {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        AuditPager p = AuditPager.first(50).withTotal(120).next().filter("node.registered", Duration.ofHours(1));
        assertThat(p.offset()).isZero();
        ObjectNode params = p.params(now);
        assertThat(params.path("limit").asInt()).isEqualTo(50);
        assertThat(params.path("offset").asInt()).isZero();
        assertThat(params.path("action_filter").get(0).asText()).isEqualTo("node.registered");
        assertThat(params.path("since").asText()).isEqualTo("2026-11-25T11:00:00Z");
        assertThat(AuditPager.first(10).params(now).has("action_filter")).isFalse();
        assertThat(AuditPager.first(10).params(now).has("since")).isFalse();
    }

    @Test
    void shrinkingTotalMovesBackToALastPageThatExists() {
        AuditPager p = AuditPager.first(50).withTotal(120).next().next().withTotal(60);
        assertThat(p.label()).isEqualTo("51–60 of 60");
        assertThat(AuditPager.first(50).withTotal(120).next().withTotal(0).offset()).isZero();
    }

    @Test
    void refusesImpossiblePages() {
        assertThatThrownBy(() -> AuditPager.first(0)).hasMessageContaining("1..1000");
        assertThatThrownBy(() -> new AuditPager(10, -1, null, null, 0)).hasMessageContaining(">= 0");
    }
}
