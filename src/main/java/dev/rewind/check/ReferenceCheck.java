package dev.rewind.check;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.conversions.Bson;

/**
 * Finds dangling references: values at a rule's path whose target document does not exist.
 *
 * <p>Streams each source collection once for all of its rules (projected on the rules' paths),
 * collects the referenced ids, and every {@link #idsPerQuery} distinct ids (or
 * {@link #pendingLimit} references) asks each target for them with {@code {_id: {$in: [...]}}},
 * projected on {@code _id}. Memory is bounded by one batch plus the samples and the set of
 * distinct missing ids (capped at {@link #missingCap}) and a bounded cache of ids known to exist
 * ({@link #knownCap}, so that children of the same parents do not ask for them again); the
 * target {@code _id} sets are never loaded whole. Reads only.
 */
public final class ReferenceCheck {
    private static final int CURSOR_BATCH = 1000;

    private final MongoClient client;
    private int idsPerQuery = 1000;
    private int pendingLimit = 10_000;
    private int sampleLimit = 10;
    private int missingCap = 100_000;
    private int knownCap = 100_000;
    private Map<TargetId, Boolean> known;

    public ReferenceCheck(MongoClient client) {
        this.client = client;
    }

    /** Distinct ids asked of a target in one query (default 1,000). */
    public ReferenceCheck idsPerQuery(int n) {
        this.idsPerQuery = Math.max(1, n);
        return this;
    }

    /** Dangling references kept as samples per rule (default 10). */
    public ReferenceCheck samples(int n) {
        this.sampleLimit = Math.max(0, n);
        return this;
    }

    /** Distinct missing ids counted exactly per rule before the count becomes a lower bound (default 100,000). */
    public ReferenceCheck missingCap(int n) {
        this.missingCap = Math.max(0, n);
        return this;
    }

    /**
     * Existing target ids remembered (least recently used dropped first) so that references to the
     * same parents are not asked for again (default 100,000; 0 turns it off).
     */
    public ReferenceCheck knownCap(int n) {
        this.knownCap = Math.max(0, n);
        return this;
    }

    /** Checks every rule over all the data. */
    public RefsReport run(String db, String rulesFrom, List<ReferenceRule> rules) {
        return run(db, rulesFrom, rules, CheckScope.ALL);
    }

    /** Checks every rule within {@code scope}; results are in the order of {@code rules}. */
    public RefsReport run(String db, String rulesFrom, List<ReferenceRule> rules, CheckScope scope) {
        known = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<TargetId, Boolean> eldest) {
                return size() > knownCap;
            }
        };
        Map<Namespace, List<ReferenceRule>> bySource = new LinkedHashMap<>();
        for (ReferenceRule r : rules) {
            bySource.computeIfAbsent(r.source(), k -> new ArrayList<>()).add(r);
        }
        Map<ReferenceRule, RuleResult> results = new HashMap<>();
        bySource.forEach((source, sourceRules) -> {
            List<RuleResult> found = checkSource(source, sourceRules, scope);
            for (int i = 0; i < sourceRules.size(); i++) {
                results.put(sourceRules.get(i), found.get(i));
            }
        });
        List<RuleResult> ordered = new ArrayList<>();
        rules.forEach(r -> ordered.add(results.get(r)));
        return new RefsReport(db, rulesFrom, ordered);
    }

    private List<RuleResult> checkSource(Namespace source, List<ReferenceRule> rules, CheckScope scope) {
        List<Tally> tallies = new ArrayList<>();
        List<Bson> exists = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (ReferenceRule r : rules) {
            tallies.add(new Tally(r));
            exists.add(Filters.exists(r.path()));
            paths.add(r.path());
        }
        Bson filter = exists.size() == 1 ? exists.get(0) : Filters.or(exists);
        if (scope.sourceFilter() != null) {
            filter = Filters.and(scope.sourceFilter(), filter);
        }
        paths.add("_id");
        MongoCollection<BsonDocument> coll = collection(source);
        Batch batch = new Batch();
        try (MongoCursor<BsonDocument> cursor = coll.find(filter)
                .projection(Projections.include(distinct(paths))).batchSize(CURSOR_BATCH).iterator()) {
            while (cursor.hasNext()) {
                BsonDocument doc = cursor.next();
                BsonValue id = doc.get("_id");
                for (Tally t : tallies) {
                    long before = t.references;
                    Paths.values(doc, t.rule.path(), (path, place, value) -> add(batch, t, source, id, place, value, scope));
                    if (t.references > before) {
                        t.documents++;
                    }
                }
                if (batch.distinctMax() >= idsPerQuery || batch.size >= pendingLimit) {
                    flush(batch);
                }
            }
        }
        flush(batch);
        List<RuleResult> out = new ArrayList<>();
        tallies.forEach(t -> out.add(t.result()));
        return out;
    }

    private static List<String> distinct(List<String> paths) {
        // a projection may not name both a path and a path inside it (MongoDB: "path collision")
        List<String> out = new ArrayList<>();
        for (String p : paths) {
            boolean covered = false;
            for (String q : paths) {
                if (!q.equals(p) && p.startsWith(q + ".")) {
                    covered = true;
                    break;
                }
            }
            if (!covered && !out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    private void add(Batch batch, Tally t, Namespace source, BsonValue sourceId, String place, BsonValue value,
                     CheckScope scope) {
        Namespace target = t.rule.target();
        BsonValue id = value;
        if (Paths.isDbRef(value)) {
            BsonDocument ref = value.asDocument();
            id = ref.get("$id");
            if (target == null) {
                BsonValue db = ref.get("$db");
                String dbName = db != null && db.isString() ? db.asString().getValue() : source.db();
                target = new Namespace(dbName, ref.getString("$ref").getValue());
            }
        } else if (target == null) {
            return; // a DBRef rule only checks DBRefs
        }
        if (id == null || id.isNull() || id.getBsonType() == org.bson.BsonType.UNDEFINED) {
            return; // an absent reference is not a dangling one
        }
        BsonValue key = MatchKey.of(id);
        if (!scope.includes(key)) {
            return;
        }
        t.references++;
        if (knownCap > 0 && known.containsKey(new TargetId(target, key))) {
            return;
        }
        batch.add(new Occurrence(t, sourceId, place, target, key, id));
    }

    private void flush(Batch batch) {
        Map<Namespace, Set<BsonValue>> found = new HashMap<>();
        batch.ids.forEach((target, ids) -> found.put(target, existing(target, ids)));
        if (knownCap > 0) {
            found.forEach((target, ids) -> ids.forEach(id -> known.put(new TargetId(target, id), Boolean.TRUE)));
        }
        Map<Tally, Set<BsonValue>> docsByTally = new HashMap<>();
        for (Occurrence o : batch.occurrences) {
            if (!found.get(o.target).contains(o.key)) {
                o.tally.dangling(o, sampleLimit, missingCap);
                docsByTally.computeIfAbsent(o.tally, k -> new HashSet<>()).add(o.sourceId);
            }
        }
        docsByTally.forEach((t, docs) -> t.documentsWithDangling += docs.size());
        batch.clear();
    }

    /** The ids among {@code ids} that exist in {@code target}, asked {@link #idsPerQuery} at a time. */
    private Set<BsonValue> existing(Namespace target, Set<BsonValue> ids) {
        Set<BsonValue> found = new HashSet<>();
        MongoCollection<BsonDocument> coll = collection(target);
        List<BsonValue> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += idsPerQuery) {
            BsonArray chunk = new BsonArray(all.subList(from, Math.min(all.size(), from + idsPerQuery)));
            try (MongoCursor<BsonDocument> c = coll.find(new BsonDocument("_id", new BsonDocument("$in", chunk)))
                    .projection(Projections.include("_id")).batchSize(CURSOR_BATCH).iterator()) {
                while (c.hasNext()) {
                    found.add(MatchKey.of(c.next().get("_id")));
                }
            }
        }
        return found;
    }

    private MongoCollection<BsonDocument> collection(Namespace ns) {
        return client.getDatabase(ns.db()).getCollection(ns.collection(), BsonDocument.class);
    }

    private record TargetId(Namespace target, BsonValue id) { }

    private record Occurrence(Tally tally, BsonValue sourceId, String place, Namespace target, BsonValue key,
                              BsonValue value) { }

    /** The references waiting to be checked, in scan order, and the distinct ids they need by target. */
    private static final class Batch {
        final List<Occurrence> occurrences = new ArrayList<>();
        final Map<Namespace, Set<BsonValue>> ids = new LinkedHashMap<>();
        int size;

        void add(Occurrence o) {
            occurrences.add(o);
            ids.computeIfAbsent(o.target, k -> new LinkedHashSet<>()).add(o.key);
            size++;
        }

        int distinctMax() {
            int max = 0;
            for (Set<BsonValue> s : ids.values()) {
                max = Math.max(max, s.size());
            }
            return max;
        }

        void clear() {
            occurrences.clear();
            ids.clear();
            size = 0;
        }
    }

    /** The running counts for one rule. */
    private static final class Tally {
        final ReferenceRule rule;
        long documents;
        long references;
        long dangling;
        long documentsWithDangling;
        final Set<BsonValue> missing = new HashSet<>();
        boolean missingCapped;
        final List<DanglingRef> samples = new ArrayList<>();

        Tally(ReferenceRule rule) {
            this.rule = rule;
        }

        void dangling(Occurrence o, int sampleLimit, int missingCap) {
            dangling++;
            if (samples.size() < sampleLimit) {
                samples.add(new DanglingRef(o.sourceId, o.place, o.target, o.value));
            }
            BsonValue key = rule.isDbRef() ? new BsonDocument("ns", new org.bson.BsonString(o.target.toString()))
                    .append("id", o.key) : o.key;
            if (!missing.contains(key)) {
                if (missing.size() < missingCap) {
                    missing.add(key);
                } else {
                    missingCapped = true;
                }
            }
        }

        RuleResult result() {
            return new RuleResult(rule, documents, references, dangling, documentsWithDangling, missing.size(),
                    missingCapped, List.copyOf(samples));
        }
    }
}
