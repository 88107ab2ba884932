package dev.rewind.dump;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonRegularExpression;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

/**
 * MongoDB's sort order of BSON values (manual, "Comparison/Sort Order"), the order of an {@code _id}
 * index scan with the simple collation: first by type group (MinKey, null, numbers, strings and
 * symbols, objects, arrays, binary data, ObjectId, booleans, dates, timestamps, regular expressions,
 * MaxKey), then by value — numbers by value across types (NaN first), strings by their UTF-8 bytes,
 * objects field by field (type, then name, then value), arrays element by element, binary data by
 * length, then subtype, then bytes. Import sorts a dump's documents by {@code _id} with it, so an
 * imported snapshot lists them in the order a snapshot's scan would.
 */
final class BsonOrder implements Comparator<BsonValue> {
    static final BsonOrder INSTANCE = new BsonOrder();

    private BsonOrder() { }

    @Override
    public int compare(BsonValue a, BsonValue b) {
        int byType = Integer.compare(rank(a.getBsonType()), rank(b.getBsonType()));
        if (byType != 0) {
            return byType;
        }
        return switch (a.getBsonType()) {
            case MIN_KEY, MAX_KEY, NULL, UNDEFINED -> 0;
            case INT32, INT64, DOUBLE, DECIMAL128 -> compareNumbers(a, b);
            case STRING, SYMBOL -> compareBytes(text(a), text(b));
            case DOCUMENT -> compareDocuments(a.asDocument(), b.asDocument());
            case ARRAY -> compareArrays(a.asArray().iterator(), b.asArray().iterator());
            case BINARY -> compareBinary(a.asBinary(), b.asBinary());
            case OBJECT_ID -> a.asObjectId().getValue().compareTo(b.asObjectId().getValue());
            case BOOLEAN -> Boolean.compare(a.asBoolean().getValue(), b.asBoolean().getValue());
            case DATE_TIME -> Long.compare(a.asDateTime().getValue(), b.asDateTime().getValue());
            case TIMESTAMP -> Long.compareUnsigned(a.asTimestamp().getValue(), b.asTimestamp().getValue());
            case REGULAR_EXPRESSION -> compareRegex(a.asRegularExpression(), b.asRegularExpression());
            case JAVASCRIPT -> compareBytes(utf8(a.asJavaScript().getCode()), utf8(b.asJavaScript().getCode()));
            default -> compareBytes(utf8(a.toString()), utf8(b.toString()));
        };
    }

    private static int rank(BsonType t) {
        return switch (t) {
            case MIN_KEY -> 0;
            case UNDEFINED, NULL -> 1;
            case INT32, INT64, DOUBLE, DECIMAL128 -> 2;
            case STRING, SYMBOL -> 3;
            case DOCUMENT -> 4;
            case ARRAY -> 5;
            case BINARY -> 6;
            case OBJECT_ID -> 7;
            case BOOLEAN -> 8;
            case DATE_TIME -> 9;
            case TIMESTAMP -> 10;
            case REGULAR_EXPRESSION -> 11;
            case DB_POINTER -> 12;
            case JAVASCRIPT -> 13;
            case JAVASCRIPT_WITH_SCOPE -> 14;
            case MAX_KEY -> 16;
            default -> 15;
        };
    }

    private static int compareNumbers(BsonValue a, BsonValue b) {
        BigDecimal x = decimal(a);
        BigDecimal y = decimal(b);
        if (x == null || y == null) {
            return Double.compare(special(a, x), special(b, y));
        }
        return x.compareTo(y);
    }

    /** The exact value, or null for NaN and the infinities. */
    private static BigDecimal decimal(BsonValue v) {
        switch (v.getBsonType()) {
            case INT32: return BigDecimal.valueOf(v.asInt32().getValue());
            case INT64: return BigDecimal.valueOf(v.asInt64().getValue());
            case DOUBLE: {
                double d = v.asDouble().getValue();
                return Double.isNaN(d) || Double.isInfinite(d) ? null : new BigDecimal(d);
            }
            default: {
                Decimal128 d = v.asDecimal128().getValue();
                return d.isNaN() || d.isInfinite() ? null : d.bigDecimalValue();
            }
        }
    }

    /** NaN below everything, then the infinities at their ends; finite values by their sign (only met against a special). */
    private static double special(BsonValue v, BigDecimal finite) {
        if (finite != null) {
            return finite.signum();
        }
        boolean nan = v.isDouble() ? Double.isNaN(v.asDouble().getValue()) : v.asDecimal128().getValue().isNaN();
        if (nan) {
            return Double.NEGATIVE_INFINITY;
        }
        boolean negative = v.isDouble() ? v.asDouble().getValue() < 0 : v.asDecimal128().getValue().isNegative();
        return negative ? -2 : 2;
    }

    private int compareDocuments(BsonDocument a, BsonDocument b) {
        Iterator<Map.Entry<String, BsonValue>> i = a.entrySet().iterator();
        Iterator<Map.Entry<String, BsonValue>> j = b.entrySet().iterator();
        while (i.hasNext() && j.hasNext()) {
            Map.Entry<String, BsonValue> x = i.next();
            Map.Entry<String, BsonValue> y = j.next();
            int c = Integer.compare(rank(x.getValue().getBsonType()), rank(y.getValue().getBsonType()));
            if (c == 0) {
                c = compareBytes(utf8(x.getKey()), utf8(y.getKey()));
            }
            if (c == 0) {
                c = compare(x.getValue(), y.getValue());
            }
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(i.hasNext(), j.hasNext());
    }

    private int compareArrays(Iterator<BsonValue> i, Iterator<BsonValue> j) {
        while (i.hasNext() && j.hasNext()) {
            int c = compare(i.next(), j.next());
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(i.hasNext(), j.hasNext());
    }

    private static int compareBinary(BsonBinary a, BsonBinary b) {
        int c = Integer.compare(a.getData().length, b.getData().length);
        if (c == 0) {
            c = Integer.compare(a.getType() & 0xFF, b.getType() & 0xFF);
        }
        return c != 0 ? c : compareBytes(a.getData(), b.getData());
    }

    private static int compareRegex(BsonRegularExpression a, BsonRegularExpression b) {
        int c = compareBytes(utf8(a.getPattern()), utf8(b.getPattern()));
        return c != 0 ? c : compareBytes(utf8(a.getOptions()), utf8(b.getOptions()));
    }

    private static byte[] text(BsonValue v) {
        return utf8(v.isSymbol() ? v.asSymbol().getSymbol() : v.asString().getValue());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static int compareBytes(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }
}
