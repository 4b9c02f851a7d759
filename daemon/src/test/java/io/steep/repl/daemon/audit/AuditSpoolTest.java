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
