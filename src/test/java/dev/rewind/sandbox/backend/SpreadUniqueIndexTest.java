package dev.rewind.sandbox.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * ObjectIds made in a row by one process (4-byte time, 5-byte per-process random value, 3-byte
 * counter; MongoDB manual, "ObjectId") differ only in their last bytes. mongo-java-server hashes
 * them with {@code Arrays.hashCode}, under which they share a few thousand hash codes; the
 * sandbox's unique index hashes their bytes so that they spread.
 */
class SpreadUniqueIndexTest {
    @Test
    void objectIdsMadeInARowGetDistinctHashes() {
        Set<Integer> spread = new HashSet<>();
        Set<Integer> arrays = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            byte[] id = new org.bson.types.ObjectId().toByteArray();   // as a driver makes them
            spread.add(SpreadUniqueIndex.mix(id));
            arrays.add(Arrays.hashCode(id));
        }
        assertThat(arrays).as("mongo-java-server's hash of the same ids").hasSizeLessThan(20_000);
        assertThat(spread).hasSizeGreaterThan(99_900);
    }
}
