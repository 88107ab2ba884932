package dev.rewind.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The steal share {@code bench compare} prints beside its figures, read from /proc/stat (proc(5):
 * the cpu line is user, nice, system, idle, iowait, irq, softirq, steal, guest, guest_nice, in
 * USER_HZ; guest time is already counted in user and nice).
 */
class HostStealTest {
    @Test
    void theStealShareIsStealOverAllTimeBetweenTwoSamples() {
        HostSteal.Sample before = HostSteal.parse("cpu  134680 0 15550 477645 884 0 982 20018 0 0");
        HostSteal.Sample after = HostSteal.parse("cpu  135516 0 15705 478095 943 0 999 20621 0 0");
        assertThat(before.steal()).isEqualTo(20018);
        assertThat(before.total()).isEqualTo(134680 + 15550 + 477645 + 884 + 982 + 20018);
        // 836 user + 155 system + 450 idle + 59 iowait + 17 softirq + 603 steal = 2,120 jiffies
        assertThat(after.shareSince(before)).isCloseTo(603 / 2120.0, within(1e-9));
        assertThat(before.shareSince(before)).isZero();
    }

    @Test
    void aLineThatIsNotTheCpuSummaryIsRefused() {
        assertThatThrownBy(() -> HostSteal.parse("cpu0 1 2 3 4 5 6 7 8 9 10")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostSteal.parse("cpu 1 2 3")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onLinuxThisMachinesOwnFiguresRead() {
        if (!Files.isReadable(Path.of("/proc/stat"))) {
            assertThat(HostSteal.now()).isNull();
            return;
        }
        HostSteal.Sample s = HostSteal.now();
        assertThat(s).isNotNull();
        assertThat(s.total()).isPositive();
        assertThat(s.steal()).isBetween(0L, s.total());
    }
}
