package io.steep.repl.daemon.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuditSpoolTest {

    @TempDir
    Path dir;

    private static AuditEvent event(int i) {
        return AuditEvent.success("test.event", "u@n", "test", "t" + i, Map.of("i", i));
    }

    @Test
    void pendingEventsSurviveReopenInOrderAndCommitResetsTheFiles() throws Exception {
        try (AuditSpool spool = new AuditSpool(dir)) {
            for (int i = 0; i < 5; i++) {
                spool.append(event(i));
            }
        }
        try (AuditSpool spool = new AuditSpool(dir)) {
            assertThat(spool.depth()).isEqualTo(5);
            List<AuditSpool.Pending> first = spool.readPending(2);
            assertThat(first).extracting(p -> p.event().targetId()).containsExactly("t0", "t1");
            spool.commit(first.getLast().end(), 2);
            assertThat(spool.depth()).isEqualTo(3);
        }
        try (AuditSpool spool = new AuditSpool(dir)) {
            List<AuditSpool.Pending> rest = spool.readPending(100);
            assertThat(rest).extracting(p -> p.event().targetId()).containsExactly("t2", "t3", "t4");
            assertThat(rest.getFirst().event().details()).containsEntry("i", 2);
            spool.commit(rest.getLast().end(), 3);
            assertThat(spool.depth()).isZero();
        }
        assertThat(Files.size(dir.resolve(AuditSpool.LOG))).isZero();
        assertThat(Files.readString(dir.resolve(AuditSpool.OFFSET))).isEqualTo("0");
    }

    @Test
    void aLargeBacklogIsReadInBatchesAcrossChunkBoundariesWithEveryEventOnceAndInOrder() throws Exception {
        // bigger than the spool's 64 KiB read chunk several times over, with one event longer than a chunk
        int n = 3000;
        String big = "x".repeat(200_000);
        try (AuditSpool spool = new AuditSpool(dir)) {
            for (int i = 0; i < n; i++) {
                spool.append(i == 1234 ? AuditEvent.success("test.event", "u@n", "test", "t" + i, Map.of("i", i, "big", big))
                        : event(i));
            }
        }
        // a crash mid-append leaves a torn tail after a long file: found from the end, dropped
        Files.write(dir.resolve(AuditSpool.LOG), "{\"action\":\"torn".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        int next = 0;
        try (AuditSpool spool = new AuditSpool(dir)) {
            assertThat(spool.depth()).isEqualTo(n);
            while (spool.depth() > 0) {
                List<AuditSpool.Pending> batch = spool.readPending(100);
                assertThat(batch).isNotEmpty().hasSizeLessThanOrEqualTo(100);
                for (AuditSpool.Pending p : batch) {
                    assertThat(p.event().targetId()).isEqualTo("t" + next);
                    if (next == 1234) {
                        assertThat(p.event().details().get("big")).isEqualTo(big);
                    }
                    next++;
                }
                spool.commit(batch.getLast().end(), batch.size());
                if (next == 1500) {
                    break; // the rest after a restart, from the committed offset
                }
            }
        }
        try (AuditSpool spool = new AuditSpool(dir)) {
            assertThat(spool.depth()).isEqualTo(n - 1500);
            for (List<AuditSpool.Pending> batch = spool.readPending(700); !batch.isEmpty(); batch = spool.readPending(700)) {
                for (AuditSpool.Pending p : batch) {
                    assertThat(p.event().targetId()).isEqualTo("t" + next++);
                }
                spool.commit(batch.getLast().end(), batch.size());
            }
            assertThat(spool.depth()).isZero();
        }
        assertThat(next).isEqualTo(n);
    }

    @Test
    void tornLastLineIsDroppedAndEarlierEventsKept() throws Exception {
        try (AuditSpool spool = new AuditSpool(dir)) {
            spool.append(event(1));
        }
        Files.writeString(dir.resolve(AuditSpool.LOG), "{\"eventId\":\"half", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (AuditSpool spool = new AuditSpool(dir)) {
            assertThat(spool.readPending(10)).extracting(p -> p.event().targetId()).containsExactly("t1");
            spool.append(event(2));
            assertThat(spool.readPending(10)).extracting(p -> p.event().targetId()).containsExactly("t1", "t2");
        }
    }

    @Test
    void crashBetweenResetAndOffsetWriteMeansAllDelivered() throws Exception {
        try (AuditSpool spool = new AuditSpool(dir)) {
            spool.append(event(1));
        }
        Files.writeString(dir.resolve(AuditSpool.OFFSET), "9999");
        Files.write(dir.resolve(AuditSpool.LOG), new byte[0]);
        try (AuditSpool spool = new AuditSpool(dir)) {
            assertThat(spool.depth()).isZero();
            spool.append(event(3));
            assertThat(spool.readPending(10)).extracting(p -> p.event().targetId()).containsExactly("t3");
        }
    }
}
