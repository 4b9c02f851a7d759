package io.steep.repl.tray.dashboard;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;

/**
 * Paging and filters of the audit view, as {@code audit.query} params (upstream's {@code limit / offset /
 * action_filter / since}). Immutable: every move returns a new pager, so the view can never show a page label
 * that does not match the rows it asked for.
 *
 * @param action null for every action
 * @param window null for all time, else how far back {@code since} reaches
 * @param total  rows matching the filters, as the last answer said
 */
public record AuditPager(int limit, int offset, String action, Duration window, long total) {

    public AuditPager {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("page size must be 1..1000, got " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, got " + offset);
        }
    }

    public static AuditPager first(int limit) {
        return new AuditPager(limit, 0, null, null, 0);
    }

    /** New filters start again at the first page. */
    public AuditPager filter(String newAction, Duration newWindow) {
        return new AuditPager(limit, 0, newAction, newWindow, 0);
    }

    public AuditPager next() {
        return hasNext() ? new AuditPager(limit, offset + limit, action, window, total) : this;
    }

    public AuditPager previous() {
        return new AuditPager(limit, Math.max(0, offset - limit), action, window, total);
    }

    public AuditPager withTotal(long newTotal) {
        // rows were pruned under us: step back to the last page that still exists
        int off = offset;
        while (off > 0 && off >= newTotal) {
            off -= limit;
        }
        return new AuditPager(limit, Math.max(0, off), action, window, newTotal);
    }

    public boolean hasNext() {
        return offset + limit < total;
    }

    public boolean hasPrevious() {
        return offset > 0;
    }

    public boolean onFirstPage() {
        return offset == 0;
    }

    /** "1–50 of 230", "no entries". */
    public String label() {
        if (total == 0) {
            return "no entries";
        }
        return (offset + 1) + "–" + Math.min(offset + limit, total) + " of " + total;
    }

    public ObjectNode params(Instant now) {
        ObjectNode p = JsonNodeFactory.instance.objectNode().put("limit", limit).put("offset", offset);
        if (action != null) {
            p.putArray("action_filter").add(action);
        }
        if (window != null) {
            p.put("since", now.minus(window).toString());
        }
        return p;
    }
}
