package dev.rewind.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.repo.store.LocalStore;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncidentStoreTest {
    @TempDir
    Path tmp;

    @Test
    void keepsEveryStateAndReadsTheNewestAsCurrent() throws Exception {
        LocalStore bytes = new LocalStore(tmp);
        IncidentStore store = new IncidentStore(bytes);
        long id = store.allocate();
        Incident open = AlertsTest.incident(id, "open");
        store.save(open);
        Incident closed = new Incident(id, open.rule(), open.severity(), open.namespaces(), open.firstAt(), open.lastAt(),
                java.util.Map.of("delete", 4962L), open.samples(), open.clients(), "closed", open.openedAt(),
                Instant.parse("2026-11-25T08:05:00Z"), open.undoOps(), open.repo(), open.source());
        store.save(closed);

        assertThat(id).isEqualTo(1);
        assertThat(bytes.list("incidents/")).containsExactly("incidents/000001/000000", "incidents/000001/000001",
                "incidents/000001/000002");
        assertThat(new IncidentStore(bytes).all()).containsExactly(closed);
        assertThat(store.history(id)).containsExactly(open, closed);
    }

    @Test
    void twoWritersNeverShareAnId() throws Exception {
        LocalStore bytes = new LocalStore(tmp);
        IncidentStore a = new IncidentStore(bytes);
        IncidentStore b = new IncidentStore(bytes);
        long first = a.allocate();
        long second = b.allocate();
        long third = a.allocate();

        assertThat(first).isEqualTo(1);
        assertThat(second).isEqualTo(2);
        assertThat(third).isEqualTo(3);
    }

    @Test
    void anUnknownIdIsNotFoundAndNamesTheKnownOnes() throws Exception {
        IncidentStore store = new IncidentStore(new LocalStore(tmp));
        store.save(AlertsTest.incident(store.allocate(), "open"));

        assertThatThrownBy(() -> store.get(9)).isInstanceOfSatisfying(RewindException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
            assertThat(e.hint()).contains("known incidents: [1]");
        });
    }
}
