package dev.rewind.sandbox.backend;

import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * mongo-java-server's in-memory unique index, keyed so that ObjectIds spread over the hash table.
 * Its own index hashes an ObjectId with {@code Arrays.hashCode} of the 12 bytes, under which the
 * ObjectIds one client makes in a row (a time, a per-process random value, a counter) share a few
 * thousand hash codes: at 200,000 documents each lookup of an {@code _id} compared it with a dozen
 * others. Here an ObjectId's bytes are hashed with a mixing function instead; everything else is
 * as mongo-java-server's {@code MemoryUniqueIndex}.
 */
final class SpreadUniqueIndex extends AbstractUniqueIndex<Integer> {
    private final Map<Key, Integer> index = new ConcurrentHashMap<>();

    SpreadUniqueIndex(String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
    }

    /** A key value with a hash that spreads ObjectIds (equal values, equal hashes, as before). */
    private record Key(KeyValue value, int hash) {
        static Key of(KeyValue value) {
            int h = 1;
            for (Object v : value) {
                h = 31 * h + (v instanceof ObjectId id ? mix(id.toByteArray()) : java.util.Objects.hashCode(v));
            }
            return new Key(value, h);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && k.value.equals(value);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** 64-bit FNV-1a of the bytes, folded with a murmur3 finalizer. */
    static int mix(byte[] bytes) {
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) (h ^ (h >>> 32));
    }

    @Override
    public long getCount() {
        return index.size();
    }

    @Override
    public boolean isEmpty() {
        return index.isEmpty();
    }

    @Override
    public long getDataSize() {
        return getCount();
    }

    @Override
    protected Integer removeDocument(KeyValue keyValue) {
        return index.remove(Key.of(keyValue));
    }

    @Override
    protected boolean putKeyPosition(KeyValue keyValue, Integer position) {
        return index.putIfAbsent(Key.of(keyValue), position) == null;
    }

    @Override
    protected Integer getPosition(KeyValue keyValue) {
        return index.get(Key.of(keyValue));
    }

    @Override
    protected Iterable<Map.Entry<KeyValue, Integer>> getIterable() {
        return () -> index.entrySet().stream()
                .map(e -> (Map.Entry<KeyValue, Integer>) new AbstractMap.SimpleImmutableEntry<>(e.getKey().value(), e.getValue()))
                .iterator();
    }
}
