package dev.rewind.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonSymbol;
import org.bson.BsonValue;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

class DocumentIdTest {

    private static DocumentId id(BsonValue value) {
        return DocumentId.of(value);
    }

    @Test
    void treatsNumbersOfEqualValueAsOneId() {
        List<DocumentId> ones = List.of(id(new BsonInt32(1)), id(new BsonInt64(1)), id(new BsonDouble(1.0)),
                id(new BsonDecimal128(Decimal128.parse("1.00"))));

        for (DocumentId a : ones) {
            for (DocumentId b : ones) {
                assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
            }
        }
        assertThat(id(new BsonInt32(1))).isNotEqualTo(id(new BsonInt32(2)));
        assertThat(id(new BsonDouble(1.5))).isNotEqualTo(id(new BsonInt32(1)));
    }

    @Test
    void comparesDoublesByTheirExactBinaryValue() {
        assertThat(id(new BsonDouble(0.1))).isNotEqualTo(id(new BsonDecimal128(Decimal128.parse("0.1"))));
        assertThat(id(new BsonDouble(0.5))).isEqualTo(id(new BsonDecimal128(Decimal128.parse("0.50"))));
        assertThat(id(new BsonDouble(-0.0))).isEqualTo(id(new BsonInt32(0)));
        assertThat(id(new BsonDecimal128(Decimal128.NEGATIVE_ZERO))).isEqualTo(id(new BsonInt32(0)));
        assertThat(id(new BsonDouble(Double.NaN))).isEqualTo(id(new BsonDecimal128(Decimal128.NaN)));
        assertThat(id(new BsonDouble(Double.POSITIVE_INFINITY)))
                .isEqualTo(id(new BsonDecimal128(Decimal128.POSITIVE_INFINITY)))
                .isNotEqualTo(id(new BsonDouble(Double.NEGATIVE_INFINITY)));
    }

    @Test
    void comparesDocumentsFieldByFieldInOrder() {
        assertThat(id(BsonDocument.parse("{a: 1, b: [1, 2]}")))
                .isEqualTo(id(BsonDocument.parse("{a: {$numberLong: \"1\"}, b: [1.0, 2]}")));
        assertThat(id(BsonDocument.parse("{a: 1, b: 2}"))).isNotEqualTo(id(BsonDocument.parse("{b: 2, a: 1}")));
    }

    @Test
    void distinguishesTypesOtherThanNumbersAndStrings() {
        ObjectId oid = new ObjectId("599af247bb69cd89961c986d");

        assertThat(id(new BsonObjectId(oid))).isEqualTo(id(new BsonObjectId(oid)));
        assertThat(id(new BsonString(oid.toHexString()))).isNotEqualTo(id(new BsonObjectId(oid)));
        assertThat(id(new BsonString("1"))).isNotEqualTo(id(new BsonInt32(1)));
        assertThat(id(new BsonSymbol("x"))).isEqualTo(id(new BsonString("x")));
        assertThat(id(new BsonInt32(7)).value()).isEqualTo(new BsonInt32(7));
    }
}
