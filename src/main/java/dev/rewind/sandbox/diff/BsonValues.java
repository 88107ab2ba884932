package dev.rewind.sandbox.diff;

import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.BsonJavaScript;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Decimal128;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.LegacyUUID;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * BSON facts about mongo-java-server values, as mongod sees them: exact equality (mongod's
 * {@code binaryEqualValues}: same BSON type, same bytes, so {@code 1 != 1.0} and field order in
 * sub-documents counts), encoded sizes ({@code BSONElement::valuesize}, {@code BSONObj::objsize})
 * and the unsigned byte order mongod uses to compare field names.
 */
public final class BsonValues {
    private BsonValues() { }

    /** True when both values encode to the same BSON type and bytes. */
    public static boolean same(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof Document da && b instanceof Document db) {
            return sameDocuments(da, db);
        }
        if (isArray(a) && isArray(b)) {
            Collection<?> ca = (Collection<?>) a;
            Collection<?> cb = (Collection<?>) b;
            if (ca.size() != cb.size()) {
                return false;
            }
            Iterator<?> ib = cb.iterator();
            for (Object x : ca) {
                if (!same(x, ib.next())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Double x && b instanceof Double y) {
            return Double.doubleToRawLongBits(x) == Double.doubleToRawLongBits(y);
        }
        if (a instanceof Instant x && b instanceof Instant y) {
            return x.toEpochMilli() == y.toEpochMilli();
        }
        if (a instanceof BsonRegularExpression x && b instanceof BsonRegularExpression y) {
            return x.getPattern().equals(y.getPattern()) && x.getOptions().equals(y.getOptions());
        }
        if (a instanceof BsonJavaScript x && b instanceof BsonJavaScript y) {
            return x.getCode().equals(y.getCode());
        }
        return a.getClass() == b.getClass() && Objects.equals(a, b);
    }

    private static boolean sameDocuments(Document a, Document b) {
        if (a.size() != b.size()) {
            return false;
        }
        Iterator<Map.Entry<String, Object>> ib = b.entrySet().iterator();
        for (Map.Entry<String, Object> ea : a.entrySet()) {
            Map.Entry<String, Object> eb = ib.next();
            if (!ea.getKey().equals(eb.getKey()) || !same(ea.getValue(), eb.getValue())) {
                return false;
            }
        }
        return true;
    }

    static boolean isArray(Object value) {
        return value instanceof Collection<?>;
    }

    static boolean isDocument(Object value) {
        return value instanceof Document;
    }

    private static int typeCode(Object v) {
        if (v == null) {
            return 10;
        } else if (v instanceof Document || v instanceof Map<?, ?>) {
            return 3;
        } else if (v instanceof Collection<?>) {
            return 4;
        } else if (v instanceof Double) {
            return 1;
        } else if (v instanceof String) {
            return 2;
        } else if (v instanceof BinData || v instanceof UUID || v instanceof LegacyUUID) {
            return 5;
        } else if (v instanceof ObjectId) {
            return 7;
        } else if (v instanceof Boolean) {
            return 8;
        } else if (v instanceof Instant || v instanceof Date) {
            return 9;
        } else if (v instanceof BsonRegularExpression) {
            return 11;
        } else if (v instanceof BsonJavaScript) {
            return 13;
        } else if (v instanceof Integer) {
            return 16;
        } else if (v instanceof BsonTimestamp) {
            return 17;
        } else if (v instanceof Long) {
            return 18;
        } else if (v instanceof Decimal128) {
            return 19;
        } else if (v instanceof MinKey) {
            return -1;
        } else if (v instanceof MaxKey) {
            return 127;
        }
        throw new IllegalArgumentException("not a BSON value: " + v.getClass().getName());
    }

    /** Encoded size of a value without its type byte and field name ({@code valuesize()}). */
    public static int valueSize(Object v) {
        if (v instanceof Document d) {
            return documentSize(d);
        } else if (v instanceof Collection<?> c) {
            return arraySize(c);
        }
        return switch (typeCode(v)) {
            case 1, 9, 17, 18 -> 8;
            case 2 -> 4 + utf8Length((String) v) + 1;
            case 5 -> 4 + 1 + (v instanceof BinData bd ? bd.getData().length : 16);
            case 7 -> 12;
            case 8 -> 1;
            case 10, -1, 127 -> 0;
            case 11 -> utf8Length(((BsonRegularExpression) v).getPattern()) + 1
                + utf8Length(((BsonRegularExpression) v).getOptions()) + 1;
            case 13 -> 4 + utf8Length(((BsonJavaScript) v).getCode()) + 1;
            case 16 -> 4;
            case 19 -> 16;
            default -> throw new IllegalArgumentException("not a BSON value: " + v.getClass().getName());
        };
    }

    /** Encoded size of a document ({@code BSONObj::objsize()}). */
    public static int documentSize(Map<String, ?> document) {
        int size = 4 + 1;
        for (Map.Entry<String, ?> e : document.entrySet()) {
            size += elementSize(e.getKey(), e.getValue());
        }
        return size;
    }

    /** Encoded size of an array, which BSON stores as a document keyed "0", "1", ... */
    static int arraySize(Collection<?> array) {
        int size = 4 + 1;
        int i = 0;
        for (Object v : array) {
            size += elementSize(Integer.toString(i++), v);
        }
        return size;
    }

    private static int elementSize(String name, Object value) {
        return 1 + utf8Length(name) + 1 + valueSize(value);
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Compares strings as mongod's {@code StringData} does: unsigned UTF-8 bytes. */
    static int compareBytes(String a, String b) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.compareUnsigned(x, y);
    }

    /** A deep copy whose documents and arrays are fresh and mutable. */
    static Object deepCopy(Object v) {
        if (v instanceof Document d) {
            Document copy = new Document();
            for (Map.Entry<String, Object> e : d.entrySet()) {
                copy.put(e.getKey(), deepCopy(e.getValue()));
            }
            return copy;
        } else if (v instanceof Collection<?> c) {
            List<Object> copy = new ArrayList<>(c.size());
            for (Object x : c) {
                copy.add(deepCopy(x));
            }
            return copy;
        }
        return v;
    }
}
