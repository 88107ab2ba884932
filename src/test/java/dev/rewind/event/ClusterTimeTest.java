package dev.rewind.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.bson.BsonTimestamp;
import org.junit.jupiter.api.Test;

class ClusterTimeTest {

    @Test
    void printsAndParsesSecondsCommaIncrement() {
        ClusterTime time = new ClusterTime(1654878543, 7);

        assertThat(time.toString()).isEqualTo("1654878543,7");
        assertThat(ClusterTime.parse("1654878543,7")).isEqualTo(time);
    }

    @Test
    void sortableFormIsFixedWidthAndParsesBack() {
        ClusterTime time = new ClusterTime(42, 3);

        assertThat(time.sortable()).isEqualTo("0000000042.0000000003");
        assertThat(ClusterTime.parseSortable("0000000042.0000000003")).isEqualTo(time);
    }

    @Test
    void ordersBySecondsThenIncrement() {
        List<ClusterTime> times = new ArrayList<>(List.of(
                new ClusterTime(2, 0), new ClusterTime(1, 10), new ClusterTime(1, 2)));
        Collections.sort(times);

        assertThat(times).containsExactly(new ClusterTime(1, 2), new ClusterTime(1, 10), new ClusterTime(2, 0));
        assertThat(new ClusterTime(1, 10).isAfter(new ClusterTime(1, 2))).isTrue();
        assertThat(new ClusterTime(1, 2).isBefore(new ClusterTime(1, 10))).isTrue();
    }

    @Test
    void convertsToAndFromBsonTimestamp() {
        BsonTimestamp timestamp = new BsonTimestamp(1654878543, 9);

        ClusterTime time = ClusterTime.fromBson(timestamp);

        assertThat(time).isEqualTo(new ClusterTime(1654878543, 9));
        assertThat(time.toBson()).isEqualTo(timestamp);
    }

    @Test
    void keepsUnsignedValuesBeyondTheSignedIntRange() {
        BsonTimestamp late = new BsonTimestamp(0xF000_0000, 0x8000_0001);

        ClusterTime time = ClusterTime.fromBson(late);

        assertThat(time.seconds()).isEqualTo(0xF000_0000L);
        assertThat(time.unsignedIncrement()).isEqualTo(0x8000_0001L);
        assertThat(time.toBson()).isEqualTo(late);
        assertThat(time.sortable()).isEqualTo("4026531840.2147483649");
        assertThat(time).isGreaterThan(new ClusterTime(0xF000_0000L, 5));
    }

    @Test
    void refusesMalformedText() {
        for (String bad : List.of("", "1", "1,", ",1", "1,2,3", "a,b", "-1,2", "4294967296,0", "1.2")) {
            assertThatThrownBy(() -> ClusterTime.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        for (String bad : List.of("42.3", "0000000042,0000000003", "00000000042.000000003")) {
            assertThatThrownBy(() -> ClusterTime.parseSortable(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Property
    void sortableTextOrderMatchesTimeOrder(
            @ForAll @LongRange(max = 0xFFFF_FFFFL) long s1, @ForAll @LongRange(max = 0xFFFF_FFFFL) long i1,
            @ForAll @LongRange(max = 0xFFFF_FFFFL) long s2, @ForAll @LongRange(max = 0xFFFF_FFFFL) long i2) {
        ClusterTime a = ClusterTime.of(s1, i1);
        ClusterTime b = ClusterTime.of(s2, i2);

        assertThat(Integer.signum(a.sortable().compareTo(b.sortable()))).isEqualTo(Integer.signum(a.compareTo(b)));
        assertThat(ClusterTime.parseSortable(a.sortable())).isEqualTo(a);
        assertThat(ClusterTime.parse(a.toString())).isEqualTo(a);
        assertThat(ClusterTime.fromBson(a.toBson())).isEqualTo(a);
    }
}
