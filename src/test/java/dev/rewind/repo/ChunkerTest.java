package dev.rewind.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChunkerTest {
    /** Bytes of a document {_id: int, p: binary} besides the binary's content. */
    private static final int OVERHEAD = 22;

    record Chunk(byte[] bytes, int documents) {
        String hash() {
            return Hash.sha256(bytes);
        }
    }

    // ---- helpers

    static ByteBuffer document(int id, int size, Random random) {
        byte[] payload = new byte[Math.max(0, size - OVERHEAD)];
        random.nextBytes(payload);
        BsonDocument d = new BsonDocument("_id", new BsonInt32(id)).append("p", new BsonBinary(payload));
        return new RawBsonDocument(d, new BsonDocumentCodec()).getByteBuffer().asNIO();
    }

    static List<ByteBuffer> documents(List<Integer> sizes, long seed) {
        Random random = new Random(seed);
        List<ByteBuffer> docs = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            docs.add(document(i, sizes.get(i), random));
        }
        return docs;
    }

    static List<Chunk> chunk(List<ByteBuffer> docs, int target, int min, int max) {
        List<Chunk> chunks = new ArrayList<>();
        Chunker chunker = new Chunker(target, min, max, (bytes, n) -> chunks.add(new Chunk(bytes, n)));
        docs.forEach(chunker::add);
        chunker.finish();
        return chunks;
    }

    static byte[] concat(List<ByteBuffer> docs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuffer d : docs) {
            byte[] b = new byte[d.remaining()];
            d.duplicate().get(b);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    /** The BSON documents a chunk holds, by reading each one's length prefix. */
    static List<Integer> documentLengths(byte[] chunk) {
        List<Integer> lengths = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            int length = b.getInt(b.position());
            assertThat(length).as("document length at %d", b.position()).isBetween(5, b.remaining());
            new RawBsonDocument(chunk, b.position(), length).toBsonDocument(); // parses whole
            b.position(b.position() + length);
            lengths.add(length);
        }
        return lengths;
    }

    /** How many of {@code before}'s chunks are not found in {@code after} (as a multiset). */
    static int lostChunks(List<Chunk> before, List<Chunk> after) {
        Map<String, Integer> remaining = new HashMap<>();
        after.forEach(c -> remaining.merge(c.hash(), 1, Integer::sum));
        int lost = 0;
        for (Chunk c : before) {
            if (remaining.getOrDefault(c.hash(), 0) == 0) {
                lost++;
            } else {
                remaining.merge(c.hash(), -1, Integer::sum);
            }
        }
        return lost;
    }

    @Provide
    Arbitrary<List<Integer>> smallAndLargeSizes() {
        // around the small parameters below: min 500, target 2000, max 4000; some documents exceed max
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(OVERHEAD, 600)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(600, 6000))).list().ofMaxSize(200);
    }

    @Provide
    Arbitrary<List<Integer>> typicalSizes() {
        return Arbitraries.integers().between(100, 1000).list().ofMinSize(300).ofMaxSize(600);
    }

    // ---- properties

    @Property(tries = 300)
    void chunksConcatenateBackToTheDocuments(@ForAll("smallAndLargeSizes") List<Integer> sizes, @ForAll long seed) {
        List<ByteBuffer> docs = documents(sizes, seed);
        List<Chunk> chunks = chunk(docs, 2000, 500, 4000);
        assertThat(concat(chunks.stream().map(c -> ByteBuffer.wrap(c.bytes())).toList())).isEqualTo(concat(docs));
        assertThat(chunks.stream().mapToInt(Chunk::documents).sum()).isEqualTo(docs.size());
        assertThat(chunks).allSatisfy(c -> assertThat(c.bytes()).isNotEmpty());
    }

    @Property(tries = 300)
    void noChunkSplitsADocument(@ForAll("smallAndLargeSizes") List<Integer> sizes, @ForAll long seed) {
        List<ByteBuffer> docs = documents(sizes, seed);
        List<Integer> seen = new ArrayList<>();
        for (Chunk c : chunk(docs, 2000, 500, 4000)) {
            List<Integer> lengths = documentLengths(c.bytes());
            assertThat(lengths).hasSize(c.documents());
            seen.addAll(lengths);
        }
        assertThat(seen).isEqualTo(docs.stream().map(ByteBuffer::remaining).toList());
    }

    @Property(tries = 300)
    void chunkSizesStayWithinMinAndMax(@ForAll("smallAndLargeSizes") List<Integer> sizes, @ForAll long seed) {
        int min = 500;
        int max = 4000;
        List<ByteBuffer> docs = documents(sizes, seed);
        List<Chunk> chunks = chunk(docs, 2000, min, max);
        int next = 0;
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            next += c.documents();
            if (c.documents() > 1) {
                assertThat(c.bytes().length).as("chunk %d of several documents", i).isLessThanOrEqualTo(max);
            }
            boolean last = i == chunks.size() - 1;
            // a chunk ends below min only when it is the last, or when the next document would take it past max
            if (!last && c.bytes().length < min) {
                assertThat(c.bytes().length + docs.get(next).remaining()).as("chunk %d cut early", i).isGreaterThan(max);
            }
        }
    }

    @Property(tries = 100)
    void sameDocumentsGiveTheSameChunks(@ForAll("typicalSizes") List<Integer> sizes, @ForAll long seed) {
        List<String> first = chunk(documents(sizes, seed), 4096, 1024, 65536).stream().map(Chunk::hash).toList();
        List<String> second = chunk(documents(sizes, seed), 4096, 1024, 65536).stream().map(Chunk::hash).toList();
        assertThat(second).isEqualTo(first);
    }

    /*
     * With min = 1 every cut is decided by the document before it alone (max never binds here), so
     * locality is exact. With a real min, a cut also depends on where its chunk began; see the
     * statistical tests below.
     */

    @Property(tries = 200)
    void withoutAMinimumInsertingADocumentChangesOnlyTheChunkThatTakesIt(
            @ForAll("typicalSizes") List<Integer> sizes, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 10_000) int where, @ForAll @IntRange(min = 100, max = 1000) int size) {
        List<ByteBuffer> docs = documents(sizes, seed);
        List<ByteBuffer> edited = new ArrayList<>(docs);
        edited.add(where % (docs.size() + 1), document(-1, size, new Random(seed + 1)));
        List<Chunk> before = chunk(docs, 4096, 1, 1 << 30);
        assertThat(lostChunks(before, chunk(edited, 4096, 1, 1 << 30))).isLessThanOrEqualTo(1);
    }

    @Property(tries = 200)
    void withoutAMinimumChangingADocumentChangesAtMostTwoChunks(
            @ForAll("typicalSizes") List<Integer> sizes, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 10_000) int where, @ForAll @IntRange(min = 100, max = 1000) int size) {
        List<ByteBuffer> docs = documents(sizes, seed);
        List<ByteBuffer> edited = new ArrayList<>(docs);
        int at = where % docs.size();
        edited.set(at, document(at, size, new Random(seed + 1)));
        List<Chunk> before = chunk(docs, 4096, 1, 1 << 30);
        assertThat(lostChunks(before, chunk(edited, 4096, 1, 1 << 30))).isLessThanOrEqualTo(2);
    }

    @Property(tries = 100)
    void chunksBeforeAnEditAreUntouched(@ForAll("typicalSizes") List<Integer> sizes, @ForAll long seed,
                                        @ForAll @IntRange(min = 0, max = 10_000) int where) {
        List<ByteBuffer> docs = documents(sizes, seed);
        int at = where % docs.size();
        List<ByteBuffer> edited = new ArrayList<>(docs);
        edited.set(at, document(at, 500, new Random(seed + 1)));
        List<Chunk> before = chunk(docs, 4096, 1024, 65536);
        List<Chunk> after = chunk(edited, 4096, 1024, 65536);
        int documentsSeen = 0;
        for (int i = 0; i < before.size() && documentsSeen + before.get(i).documents() <= at; i++) {
            assertThat(after.get(i).hash()).as("chunk %d, before the edit", i).isEqualTo(before.get(i).hash());
            documentsSeen += before.get(i).documents();
        }
    }

    // ---- statistics, with fixed seeds (the outcome of each edit is chance; its distribution is the property)

    @ParameterizedTest(name = "target {0}, min {1}, max {2}, {3} documents")
    @CsvSource({"4096, 1024, 65536, 500", "65536, 16384, 262144, 3000"})
    void oneInsertedOrChangedDocumentAlmostAlwaysChangesAtMostTwoChunks(int target, int min, int max, int count) {
        Random random = new Random(20_251_125L);
        int edits = target < 10_000 ? 300 : 60;
        int withinTwo = 0;
        int worst = 0;
        long chunksBefore = 0;
        for (int e = 0; e < edits; e++) {
            List<ByteBuffer> docs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                docs.add(document(i, 100 + random.nextInt(901), random));
            }
            List<Chunk> before = chunk(docs, target, min, max);
            chunksBefore += before.size();
            List<ByteBuffer> edited = new ArrayList<>(docs);
            if (e % 2 == 0) {
                edited.add(random.nextInt(count + 1), document(-1, 100 + random.nextInt(901), random));
            } else {
                int at = random.nextInt(count);
                edited.set(at, document(at, 100 + random.nextInt(901), random));
            }
            int lost = lostChunks(before, chunk(edited, target, min, max));
            withinTwo += lost <= 2 ? 1 : 0;
            worst = Math.max(worst, lost);
        }
        assertThat(chunksBefore / edits).as("chunks per sequence").isGreaterThanOrEqualTo(20);
        assertThat((double) withinTwo / edits).as("share of edits that change at most 2 chunks").isGreaterThanOrEqualTo(0.97);
        assertThat(worst).as("most chunks one edit changed").isLessThanOrEqualTo(5);
    }

    @ParameterizedTest(name = "documents of {0} to {1} bytes")
    @CsvSource({"30, 200", "100, 1000", "1000, 20000", "30, 200000"})
    void averageChunkSizeIsNearTheTarget(int smallest, int largest) {
        Random random = new Random(smallest * 31L + largest);
        List<ByteBuffer> docs = new ArrayList<>();
        long total = 0;
        for (int i = 0; total < 24L << 20; i++) {
            // log-uniform sizes, so the small ones are frequent and the large ones present
            int size = (int) Math.round(smallest * Math.pow((double) largest / smallest, random.nextDouble()));
            ByteBuffer d = document(i, Math.max(size, OVERHEAD), random);
            docs.add(d);
            total += d.remaining();
        }
        List<Chunk> chunks = chunk(docs, Chunker.DEFAULT_TARGET, Chunker.DEFAULT_MIN, Chunker.DEFAULT_MAX);
        double average = (double) total / chunks.size();
        assertThat(average).isBetween(Chunker.DEFAULT_TARGET / 2.0, Chunker.DEFAULT_TARGET * 2.0);
    }

    // ---- examples

    @Test
    void aDocumentLargerThanMaxIsAChunkOfItsOwn() {
        Random random = new Random(7);
        List<ByteBuffer> docs = List.of(document(0, 300, random), document(1, 10_000, random), document(2, 300, random));
        List<Chunk> chunks = chunk(docs, 2000, 500, 4000);
        assertThat(chunks).extracting(Chunk::documents).containsExactly(1, 1, 1);
        assertThat(chunks.get(1).bytes()).hasSize(10_000);
    }

    @Test
    void readsEachDocumentFromItsPositionWithoutMovingIt() {
        Random random = new Random(8);
        ByteBuffer a = document(0, 300, random);
        ByteBuffer b = document(1, 400, random);
        ByteBuffer both = ByteBuffer.allocate(700 + 10);
        both.position(10);
        both.put(a.duplicate()).put(b.duplicate());
        ByteBuffer viewA = both.duplicate().position(10).limit(310);
        ByteBuffer viewB = both.duplicate().position(310).limit(710);
        List<Chunk> chunks = chunk(List.of(viewA, viewB), 2000, 500, 4000);
        assertThat(chunks).hasSize(1);
        assertThat(chunks.get(0).bytes()).isEqualTo(concat(List.of(a, b)));
        assertThat(viewA.position()).isEqualTo(10);
    }

    @Test
    void finishWithoutDocumentsEmitsNothing() {
        assertThat(chunk(List.of(), 2000, 500, 4000)).isEmpty();
    }

    @Test
    void refusesParametersOutOfOrder() {
        Chunker.Sink ignore = (bytes, n) -> { };
        assertThatThrownBy(() -> new Chunker(1000, 2000, 4000, ignore)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Chunker(5000, 1000, 4000, ignore)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Chunker(1000, 0, 4000, ignore)).isInstanceOf(IllegalArgumentException.class);
    }
}
