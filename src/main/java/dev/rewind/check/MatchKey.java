package dev.rewind.check;

import java.math.BigDecimal;
import org.bson.BsonDecimal128;
import org.bson.BsonDouble;
import org.bson.BsonInt64;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

/**
 * The form of a value under which two values are equal exactly when MongoDB's query and index
 * equality says so, as far as it matters here: numbers of different types compare by value
 * ({@code 5}, {@code NumberLong(5)} and {@code 5.0} are the same key). Other values are kept as
 * they are (BSON equality).
 */
final class MatchKey {
    private MatchKey() { }

    static BsonValue of(BsonValue v) {
        if (v == null) {
            return null;
        }
        switch (v.getBsonType()) {
            case INT32:
                return new BsonInt64(v.asInt32().getValue());
            case INT64:
                return v;
            case DOUBLE: {
                double d = v.asDouble().getValue();
                if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 9.0e15) {
                    return new BsonInt64((long) d);
                }
                return v;
            }
            case DECIMAL128: {
                Decimal128 dec = v.asDecimal128().getValue();
                if (dec.isNaN() || dec.isInfinite()) {
                    return v;
                }
                BigDecimal b;
                try {
                    b = dec.bigDecimalValue();
                } catch (ArithmeticException negativeZero) {
                    return new BsonInt64(0);
                }
                try {
                    return new BsonInt64(b.longValueExact());
                } catch (ArithmeticException notALong) {
                    double d = b.doubleValue();
                    return BigDecimal.valueOf(d).compareTo(b) == 0 ? new BsonDouble(d) : new BsonDecimal128(dec);
                }
            }
            default:
                return v;
        }
    }
}
