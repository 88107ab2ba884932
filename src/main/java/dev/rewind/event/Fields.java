package dev.rewind.event;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/** Typed, null-tolerant reads of event fields that name the field and its owner when the type is wrong. */
final class Fields {
    private Fields() {}

    private static final org.bson.codecs.RawBsonDocumentCodec RAW = new org.bson.codecs.RawBsonDocumentCodec();
    private static final org.bson.codecs.BsonValueCodec VALUE = new org.bson.codecs.BsonValueCodec();
    private static final org.bson.codecs.DecoderContext CONTEXT = org.bson.codecs.DecoderContext.builder().build();

    /**
     * The top-level fields of a raw document, read in one pass: sub-documents stay raw (their bytes
     * copied once, as {@link RawBsonDocument#get} would), other values are decoded. A raw document
     * looks every field up by scanning from its start, so a reader that asks for a dozen fields of
     * each of millions of events is better served by this.
     */
    static BsonDocument topLevel(org.bson.RawBsonDocument raw) {
        BsonDocument out = new BsonDocument();
        try (org.bson.BsonBinaryReader reader = new org.bson.BsonBinaryReader(raw.getByteBuffer().asNIO())) {
            reader.readStartDocument();
            while (reader.readBsonType() != org.bson.BsonType.END_OF_DOCUMENT) {
                String name = reader.readName();
                if (out.containsKey(name)) {
                    reader.skipValue();  // a name given twice reads as its first value, as RawBsonDocument.get reads it
                    continue;
                }
                out.put(name, reader.getCurrentBsonType() == org.bson.BsonType.DOCUMENT ? RAW.decode(reader, CONTEXT)
                        : VALUE.decode(reader, CONTEXT));
            }
            reader.readEndDocument();
        }
        return out;
    }

    static BsonDocument document(BsonDocument owner, String key, String ownerName) {
        BsonValue value = owner.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isDocument()) {
            throw wrongType(ownerName, key, value, "a document");
        }
        return value.asDocument();
    }

    static BsonArray array(BsonDocument owner, String key, String ownerName) {
        BsonValue value = owner.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw wrongType(ownerName, key, value, "an array");
        }
        return value.asArray();
    }

    static String string(BsonDocument owner, String key, String ownerName) {
        BsonValue value = owner.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw wrongType(ownerName, key, value, "a string");
        }
        return value.asString().getValue();
    }

    private static MalformedEventException wrongType(String owner, String key, BsonValue value, String expected) {
        return new MalformedEventException(owner + "." + key + " is a " + value.getBsonType() + ", expected " + expected);
    }
}
