package dev.rewind.check;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.conversions.Bson;

/**
 * Finds documents that share a value of a field, or of a compound of fields, that should be
 * unique; says whether a unique index exists on exactly those fields, and gives the command
 * that creates one.
 *
 * <p>Grouping is done by the server with {@code $group} (spilling to disk on MongoDB) when it
 * can; when it cannot (the embedded server lacks {@code $trim} and {@code $type}, used by
 * {@code --ignore-case}), by {@link StreamingGroups}, which holds a bounded number of keys per
 * pass. A document that has none of the fields is not grouped (it is counted); a missing field
 * next to a present one counts as null, as in an index. Arrays are compared as whole values.
 * With normalization, strings are lower-cased and trimmed (MongoDB's {@code $toLower} is exact
 * for ASCII only). Reads only.
 */
public final class UniqueCheck {
    /** How to group; {@link #AUTO} tries the server and falls back to streaming. */
    public enum Method { AUTO, SERVER, STREAMING }

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

    private final MongoClient client;
    private int idsPerGroup = 20;
    private int groupsShown = 100;
    private int keysPerPass = 500_000;
    private Method method = Method.AUTO;

    public UniqueCheck(MongoClient client) {
        this.client = client;
    }

    /** {@code _id}s listed per group (default 20). */
    public UniqueCheck idsPerGroup(int n) {
        this.idsPerGroup = Math.max(1, n);
        return this;
    }

    /** Groups listed in the report, largest first (default 100); all are counted. */
    public UniqueCheck groupsShown(int n) {
        this.groupsShown = Math.max(0, n);
        return this;
    }

    /** Distinct keys held in memory per pass by the streaming method (default 500,000). */
    public UniqueCheck keysPerPass(int n) {
        this.keysPerPass = Math.max(1, n);
        return this;
    }

    public UniqueCheck method(Method m) {
        this.method = m;
        return this;
    }

    public UniqueReport run(Namespace ns, List<String> fields, boolean normalize) {
        MongoCollection<BsonDocument> coll = client.getDatabase(ns.db()).getCollection(ns.collection(), BsonDocument.class);
        Bson anyField = anyField(fields);
        long without = coll.countDocuments(new BsonDocument("$nor", new BsonArray(List.of(anyField.toBsonDocument()))));
        Groups groups = null;
        String how = null;
        if (method != Method.STREAMING) {
            try {
                groups = serverGroups(coll, fields, normalize, anyField);
                how = "server $group";
            } catch (MongoCommandException unsupported) {
                if (method == Method.SERVER) {
                    throw unsupported;
                }
            }
        }
        if (groups == null) {
            StreamingGroups streaming = new StreamingGroups(fields, normalize, idsPerGroup, groupsShown, keysPerPass);
            groups = streaming.run(coll, anyField);
            how = "streaming, " + streaming.passes() + (streaming.passes() == 1 ? " pass" : " passes");
        }
        String index = uniqueIndex(coll, fields);
        return new UniqueReport(ns, List.copyOf(fields), normalize, how, without, groups.count, groups.documents,
                groups.shown, index, createIndex(ns, fields, normalize, without > 1));
    }

    private static Bson anyField(List<String> fields) {
        BsonArray or = new BsonArray();
        fields.forEach(f -> or.add(new BsonDocument(f, new BsonDocument("$exists", org.bson.BsonBoolean.TRUE))));
        return or.size() == 1 ? or.get(0).asDocument() : new BsonDocument("$or", or);
    }

    private Groups serverGroups(MongoCollection<BsonDocument> coll, List<String> fields, boolean normalize, Bson anyField) {
        BsonDocument key = new BsonDocument();
        for (int i = 0; i < fields.size(); i++) {
            key.append("k" + i, keyExpression("$" + fields.get(i), normalize));
        }
        List<BsonDocument> pipeline = List.of(
                new BsonDocument("$match", anyField.toBsonDocument()),
                new BsonDocument("$group", new BsonDocument("_id", key)
                        .append("n", new BsonDocument("$sum", new BsonInt32(1)))
                        .append("ids", new BsonDocument("$push", new BsonString("$_id")))),
                new BsonDocument("$match", new BsonDocument("n", new BsonDocument("$gt", new BsonInt32(1)))),
                new BsonDocument("$project", new BsonDocument("n", new BsonInt32(1))
                        .append("ids", new BsonDocument("$slice", new BsonArray(List.of(new BsonString("$ids"),
                                new BsonInt32(idsPerGroup))))))
        );
        Groups groups = new Groups(groupsShown);
        try (MongoCursor<BsonDocument> c = coll.aggregate(pipeline).allowDiskUse(true).batchSize(1000).iterator()) {
            while (c.hasNext()) {
                BsonDocument g = c.next();
                List<BsonValue> values = new ArrayList<>();
                BsonDocument k = g.getDocument("_id");
                for (int i = 0; i < fields.size(); i++) {
                    values.add(k.get("k" + i, BsonNull.VALUE));
                }
                groups.add(new DuplicateGroup(values, g.get("n").asNumber().longValue(), List.copyOf(g.getArray("ids"))));
            }
        }
        return groups.sorted();
    }

    private static BsonValue keyExpression(String field, boolean normalize) {
        BsonDocument value = new BsonDocument("$ifNull", new BsonArray(List.of(new BsonString(field), BsonNull.VALUE)));
        if (!normalize) {
            return value;
        }
        BsonDocument isString = new BsonDocument("$eq", new BsonArray(List.of(
                new BsonDocument("$type", new BsonString(field)), new BsonString("string"))));
        BsonDocument lowerTrim = new BsonDocument("$toLower",
                new BsonDocument("$trim", new BsonDocument("input", new BsonString(field))));
        return new BsonDocument("$cond", new BsonArray(List.of(isString, lowerTrim, value)));
    }

    /** Lower-cases and trims strings; other values are returned as they are. */
    static BsonValue normalize(BsonValue v) {
        return v.isString() ? new BsonString(v.asString().getValue().strip().toLowerCase(Locale.ROOT)) : v;
    }

    private static String uniqueIndex(MongoCollection<BsonDocument> coll, List<String> fields) {
        try (MongoCursor<BsonDocument> c = coll.listIndexes(BsonDocument.class).batchSize(1000).iterator()) {
            while (c.hasNext()) {
                BsonDocument index = c.next();
                boolean unique = index.getBoolean("unique", org.bson.BsonBoolean.FALSE).getValue();
                if (unique && new ArrayList<>(index.getDocument("key").keySet()).equals(fields)) {
                    return index.getString("name", new BsonString("?")).getValue();
                }
            }
        }
        return null;
    }

    static String createIndex(Namespace ns, List<String> fields, boolean normalize, boolean sparse) {
        StringBuilder keys = new StringBuilder("{");
        for (int i = 0; i < fields.size(); i++) {
            keys.append(i == 0 ? "" : ", ").append(IDENTIFIER.matcher(fields.get(i)).matches()
                    ? fields.get(i) : "\"" + fields.get(i) + "\"").append(": 1");
        }
        keys.append("}");
        String options = "{unique: true" + (sparse ? ", sparse: true" : "")
                + (normalize ? ", collation: {locale: \"en\", strength: 2}" : "") + "}";
        String coll = IDENTIFIER.matcher(ns.collection()).matches() && !ns.collection().startsWith("$")
                ? "." + ns.collection() : ".getCollection(\"" + ns.collection() + "\")";
        return "db.getSiblingDB(\"" + ns.db() + "\")" + coll + ".createIndex(" + keys + ", " + options + ")";
    }

    /** The duplicate groups found: all counted, the largest {@code limit} kept. */
    static final class Groups {
        final int limit;
        long count;
        long documents;
        List<DuplicateGroup> shown = new ArrayList<>();

        Groups(int limit) {
            this.limit = limit;
        }

        void add(DuplicateGroup g) {
            count++;
            documents += g.count();
            shown.add(g);
            if (shown.size() > 2 * limit + 1000) {
                sorted();
            }
        }

        Groups sorted() {
            shown.sort((a, b) -> Long.compare(b.count(), a.count()));
            if (shown.size() > limit) {
                shown = new ArrayList<>(shown.subList(0, limit));
            }
            return this;
        }
    }
}
