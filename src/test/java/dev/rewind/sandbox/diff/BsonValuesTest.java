package dev.rewind.sandbox.diff;

import static dev.rewind.sandbox.diff.Bson.json;
import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Decimal128;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Exact equality is mongod's {@code BSONElement::binaryEqualValues} / {@code binaryEqual} as
 * mongodb/mongo src/mongo/db/update/set_node.cpp and document_diff_calculator.cpp use them, and
 * sizes are the encoded sizes document_diff_calculator.cpp compares (checked here against
 * mongo-java-server's own BsonEncoder).
 */
class BsonValuesTest {
    private static int encodedSize(Document document) {
        ByteBuf buffer = Unpooled.buffer();
        try {
            BsonEncoder.encodeDocument(document, buffer);
            return buffer.writerIndex();
        } finally {
            buffer.release();
        }
    }

    @Test
    void sizesMatchTheEncodedBson() {
        Document doc = new Document("_id", new ObjectId())
            .append("int", 1).append("long", 2L).append("double", 3.5).append("string", "héllo")
            .append("bool", true).append("null", null).append("date", Instant.ofEpochMilli(5))
            .append("ts", new BsonTimestamp(7L)).append("dec", Decimal128.ONE)
            .append("bin", new BinData(new byte[] {1, 2, 3})).append("uuid", UUID.randomUUID())
            .append("min", MinKey.getInstance()).append("max", MaxKey.getInstance())
            .append("doc", json("{a: {b: [1, 'x', {c: null}]}}"))
            .append("arr", new ArrayList<>(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)))
            .append("", "empty name");
        assertThat(BsonValues.documentSize(doc)).isEqualTo(encodedSize(doc));
        assertThat(BsonValues.documentSize(new Document())).isEqualTo(5);
    }

    @Test
    void sameMeansSameTypeAndBytes() {
        assertThat(BsonValues.same(1, 1)).isTrue();
        assertThat(BsonValues.same(1, 1L)).isFalse();
        assertThat(BsonValues.same(1, 1.0)).isFalse();
        assertThat(BsonValues.same(0.0, -0.0)).isFalse();
        assertThat(BsonValues.same(null, null)).isTrue();
        assertThat(BsonValues.same(null, 0)).isFalse();
        assertThat(BsonValues.same(json("{a: 1, b: 2}"), json("{b: 2, a: 1}"))).isFalse();
        assertThat(BsonValues.same(json("{a: [1, {b: 2}]}"), json("{a: [1, {b: 2}]}"))).isTrue();
        assertThat(BsonValues.same(List.of(1, 2), List.of(2, 1))).isFalse();
        assertThat(BsonValues.same(new BinData(new byte[] {1}), new BinData(new byte[] {1}))).isTrue();
        assertThat(BsonValues.same(Instant.ofEpochMilli(1), Instant.ofEpochMilli(1).plusNanos(5))).isTrue();
    }

    @Test
    void fieldNamesCompareAsUnsignedUtf8() {
        assertThat(BsonValues.compareBytes("a", "b")).isNegative();
        assertThat(BsonValues.compareBytes("B", "a")).isNegative();
        assertThat(BsonValues.compareBytes("z", "é")).isNegative();
        assertThat(BsonValues.compareBytes("ab", "a")).isPositive();
    }

    // mongodb/mongo src/mongo/db/update/path_support.h (cmpPathsAndArrayIndexes)
    @Test
    void updateChildrenSortNumbersNumerically() {
        List<String> names = new ArrayList<>(List.of("10", "b", "2", "a", "02", "1x", "", "9"));
        names.sort(UpdateTree.PATH_ORDER);
        assertThat(names).containsExactly("", "02", "2", "9", "10", "1x", "a", "b");
    }
}
