package dev.rewind.event;

import java.util.HexFormat;
import java.util.UUID;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonValue;
import org.bson.types.Binary;

/**
 * Collection UUIDs as text: the {@code collectionUUID} of change events (MongoDB 6.0+ with
 * {@code showExpandedEvents}) and {@code info.uuid} of listCollections, both BSON binary subtype 4,
 * in the canonical {@code 8-4-4-4-12} form; any other binary as hex.
 */
public final class Uuids {
    private Uuids() {}

    /** The text of a BSON UUID value; null when {@code value} is null or not binary. */
    public static String text(BsonValue value) {
        if (value == null || !value.isBinary()) {
            return null;
        }
        BsonBinary b = value.asBinary();
        if (b.getType() == BsonBinarySubType.UUID_STANDARD.getValue() && b.getData().length == 16) {
            return b.asUuid().toString();
        }
        return HexFormat.of().formatHex(b.getData());
    }

    /** The text of a UUID as a driver {@code Document} decodes it ({@link UUID} or {@link Binary}); null otherwise. */
    public static String text(Object value) {
        if (value instanceof UUID u) {
            return u.toString();
        }
        if (value instanceof Binary b) {
            return text(new BsonBinary(b.getType(), b.getData()));
        }
        return value instanceof BsonValue v ? text(v) : null;
    }

    /** The {@code collectionUUID} an event carries, as text; null when it carries none. */
    public static String of(ChangeEvent event) {
        return text(event.extra().get("collectionUUID"));
    }
}
