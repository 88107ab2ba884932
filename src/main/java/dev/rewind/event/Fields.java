package dev.rewind.event;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/** Typed, null-tolerant reads of event fields that name the field and its owner when the type is wrong. */
final class Fields {
    private Fields() {}

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
