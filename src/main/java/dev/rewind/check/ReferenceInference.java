package dev.rewind.check;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Projections;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonType;
import org.bson.BsonValue;

/**
 * Guesses the reference rules of a database by sampling it, as a starting point for the user to
 * confirm (never to be trusted blindly).
 *
 * <ul>
 *   <li>A path where at least half of the sampled values are DBRefs is a DBRef rule.</li>
 *   <li>A path holding ObjectIds, UUIDs/binary or strings is tried against every collection of the
 *       database whose sampled {@code _id}s have that type (itself included, for trees):
 *       the path's distinct sampled values (at most {@link #valuesPerPath}) are looked up with
 *       {@code {_id: {$in: [...]}}}; the collection where most are found becomes the target when
 *       more than {@link #MIN_SHARE} of them are found there (so a rule is still found when some
 *       parents were deleted).</li>
 *   <li>Numbers, booleans and dates are never inferred (a count of 3 would "match" an {@code _id}
 *       of 3): declare such references in a refs file. {@code _id} itself is not a candidate.</li>
 * </ul>
 * Reads only; sampling uses {@code $sample} and falls back to the first documents in natural order.
 */
public final class ReferenceInference {
    /** The share of distinct sampled values that must exist in the target. */
    public static final double MIN_SHARE = 0.5;
    private static final Set<BsonType> CANDIDATES = EnumSet.of(BsonType.OBJECT_ID, BsonType.BINARY, BsonType.STRING);

    private final MongoDatabase db;
    private int sampleSize = 1000;
    private int valuesPerPath = 500;

    public ReferenceInference(MongoDatabase db) {
        this.db = db;
    }

    /** Documents sampled per collection (default 1,000). */
    public ReferenceInference sampleSize(int n) {
        this.sampleSize = Math.max(1, n);
        return this;
    }

    /** Distinct values per path looked up in candidate targets (default 500). */
    public ReferenceInference valuesPerPath(int n) {
        this.valuesPerPath = Math.max(1, n);
        return this;
    }

    /** The inferred rules, ordered by source collection and path, each with its evidence as the note. */
    public List<ReferenceRule> infer() {
        List<String> names = new ArrayList<>();
        for (String name : db.listCollectionNames().batchSize(1000)) {
            if (!name.startsWith("system.")) {
                names.add(name);
            }
        }
        names.sort(null);
        Map<String, List<BsonDocument>> samples = new TreeMap<>();
        Map<String, Set<BsonType>> idTypes = new TreeMap<>();
        for (String name : names) {
            List<BsonDocument> docs = sample(db.getCollection(name, BsonDocument.class));
            samples.put(name, docs);
            Set<BsonType> types = EnumSet.noneOf(BsonType.class);
            docs.forEach(d -> {
                if (d.containsKey("_id")) {
                    types.add(d.get("_id").getBsonType());
                }
            });
            idTypes.put(name, types);
        }
        List<ReferenceRule> rules = new ArrayList<>();
        for (String name : names) {
            Namespace source = new Namespace(db.getName(), name);
            for (Map.Entry<String, PathValues> e : profile(samples.get(name)).entrySet()) {
                ReferenceRule rule = rule(source, e.getKey(), e.getValue(), idTypes);
                if (rule != null) {
                    rules.add(rule);
                }
            }
        }
        return rules;
    }

    private List<BsonDocument> sample(MongoCollection<BsonDocument> coll) {
        List<BsonDocument> docs = new ArrayList<>();
        try (MongoCursor<BsonDocument> c = coll.aggregate(List.of(
                new BsonDocument("$sample", new BsonDocument("size", new BsonInt32(sampleSize)))))
                .batchSize(Math.min(sampleSize, 1000)).iterator()) {
            c.forEachRemaining(docs::add);
            return docs;
        } catch (MongoException noSample) {
            docs.clear();
        }
        try (MongoCursor<BsonDocument> c = coll.find().limit(sampleSize).batchSize(Math.min(sampleSize, 1000)).iterator()) {
            c.forEachRemaining(docs::add);
        }
        return docs;
    }

    /** The values seen at each path of the sampled documents. */
    private Map<String, PathValues> profile(List<BsonDocument> docs) {
        Map<String, PathValues> byPath = new TreeMap<>();
        for (BsonDocument doc : docs) {
            Paths.leaves(doc, (path, place, value) -> {
                if (value.isNull()) {
                    return;
                }
                PathValues pv = byPath.computeIfAbsent(path, k -> new PathValues());
                pv.values++;
                if (Paths.isDbRef(value)) {
                    pv.dbRefs++;
                } else if (CANDIDATES.contains(value.getBsonType())) {
                    pv.candidates++;
                    if (pv.distinct.size() < valuesPerPath) {
                        pv.distinct.add(value);
                    }
                }
            });
        }
        return byPath;
    }

    private ReferenceRule rule(Namespace source, String path, PathValues pv, Map<String, Set<BsonType>> idTypes) {
        if (pv.dbRefs * 2 >= pv.values && pv.dbRefs > 0) {
            return new ReferenceRule(source, path, null,
                    "inferred: " + pv.dbRefs + " of " + pv.values + " sampled values are DBRefs");
        }
        if (pv.candidates * 2 < pv.values || pv.distinct.isEmpty()) {
            return null;
        }
        Set<BsonType> types = EnumSet.noneOf(BsonType.class);
        pv.distinct.forEach(v -> types.add(v.getBsonType()));
        String best = null;
        int bestFound = 0;
        for (Map.Entry<String, Set<BsonType>> target : idTypes.entrySet()) {
            if (java.util.Collections.disjoint(target.getValue(), types)) {
                continue;
            }
            int found = countExisting(target.getKey(), pv.distinct);
            if (found > bestFound) {
                best = target.getKey();
                bestFound = found;
            }
        }
        if (best == null || bestFound <= pv.distinct.size() * MIN_SHARE) {
            return null;
        }
        return new ReferenceRule(source, path, new Namespace(db.getName(), best),
                "inferred: " + bestFound + " of " + pv.distinct.size() + " distinct sampled values found in " + best);
    }

    private int countExisting(String collection, Collection<BsonValue> values) {
        int found = 0;
        try (MongoCursor<BsonDocument> c = db.getCollection(collection, BsonDocument.class)
                .find(new BsonDocument("_id", new BsonDocument("$in", new BsonArray(new ArrayList<>(values)))))
                .projection(Projections.include("_id")).batchSize(1000).iterator()) {
            while (c.hasNext()) {
                c.next();
                found++;
            }
        }
        return found;
    }

    /** What was seen at one path: how many values, how many DBRefs, and the candidate id values. */
    private static final class PathValues {
        int values;
        int dbRefs;
        int candidates;
        final Set<BsonValue> distinct = new LinkedHashSet<>();
    }
}
