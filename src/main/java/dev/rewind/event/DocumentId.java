package dev.rewind.event;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

/**
 * A document's {@code _id} as a map key, equal when MongoDB's {@code _id} index sees the same
 * value: numbers compare by value across types ({@code 1}, {@code NumberLong(1)}, {@code 1.0}
 * and {@code NumberDecimal("1.0")} are one {@code _id}; {@code -0.0} is {@code 0}; a double
 * compares by its exact binary value, so {@code 0.1} and {@code NumberDecimal("0.1")} differ;
 * NaNs are equal), a symbol equals the string with the same text, and documents and arrays
 * compare element by element, field names and order included. Other types compare by type and
 * value. Strings compare by code points: a collection default collation, which would also apply
 * to its {@code _id} index, is not modelled.
 */
public final class DocumentId {
    private final BsonValue value;
    private final Object canonical;

    private DocumentId(BsonValue value) {
        this.value = value;
        this.canonical = canonical(value);
    }

    public static DocumentId of(BsonValue value) {
        return new DocumentId(Objects.requireNonNull(value, "_id value"));
    }

    /** The {@code _id} value as first seen. */
    public BsonValue value() {
        return value;
    }

    private record Num(BigDecimal value) {}

    private record Special(String name) {}

    private record Str(String text) {}

    private record Field(String name, Object value) {}

    private record Doc(List<Field> fields) {}

    private record Arr(List<Object> elements) {}

    private static Object canonical(BsonValue value) {
        switch (value.getBsonType()) {
            case INT32:
                return new Num(BigDecimal.valueOf(value.asInt32().getValue()));
            case INT64:
                return new Num(BigDecimal.valueOf(value.asInt64().getValue()));
            case DOUBLE:
                return number(value.asDouble().getValue());
            case DECIMAL128:
                return number(value.asDecimal128().getValue());
            case STRING:
                return new Str(value.asString().getValue());
            case SYMBOL:
                return new Str(value.asSymbol().getSymbol());
            case DOCUMENT: {
                List<Field> fields = new ArrayList<>();
                for (Map.Entry<String, BsonValue> entry : value.asDocument().entrySet()) {
                    fields.add(new Field(entry.getKey(), canonical(entry.getValue())));
                }
                return new Doc(fields);
            }
            case ARRAY: {
                List<Object> elements = new ArrayList<>();
                for (BsonValue element : value.asArray()) {
                    elements.add(canonical(element));
                }
                return new Arr(elements);
            }
            default:
                return value;
        }
    }

    private static Object number(double d) {
        if (Double.isNaN(d)) {
            return new Special("NaN");
        }
        if (Double.isInfinite(d)) {
            return new Special(d > 0 ? "Infinity" : "-Infinity");
        }
        return new Num(new BigDecimal(d).stripTrailingZeros());
    }

    private static Object number(Decimal128 d) {
        if (d.isNaN()) {
            return new Special("NaN");
        }
        if (d.isInfinite()) {
            return new Special(d.isNegative() ? "-Infinity" : "Infinity");
        }
        if (d.isNegative() && d.equals(Decimal128.NEGATIVE_ZERO)) {
            return new Num(BigDecimal.ZERO);
        }
        try {
            return new Num(d.bigDecimalValue().stripTrailingZeros());
        } catch (ArithmeticException negativeZero) {
            return new Num(BigDecimal.ZERO);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DocumentId id && canonical.equals(id.canonical);
    }

    @Override
    public int hashCode() {
        return canonical.hashCode();
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
