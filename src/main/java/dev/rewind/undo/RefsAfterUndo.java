package dev.rewind.undo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import dev.rewind.check.CheckScope;
import dev.rewind.check.DanglingRef;
import dev.rewind.check.ReferenceCheck;
import dev.rewind.check.ReferenceInference;
import dev.rewind.check.ReferenceRule;
import dev.rewind.check.RefsFile;
import dev.rewind.check.RuleResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonValue;

/**
 * After an undo, checks the references into and out of the documents it planned for (restored,
 * reverted, removed, and the conflicts it left alone): references to their {@code _id}s from other
 * collections, and references from them. What still dangles is reported, for example children
 * pointing at a family that a client re-created under a new {@code _id}.
 */
public final class RefsAfterUndo {
    private static final int SAMPLES = 10;

    private final MongoClient client;
    private final Path refsFile;
    private final Map<String, List<ReferenceRule>> rulesByDb = new LinkedHashMap<>();
    private final Map<String, RuleResult> results = new LinkedHashMap<>();

    public RefsAfterUndo(MongoClient client, Path refsFile) {
        this.client = client;
        this.refsFile = refsFile;
    }

    /** The results of every rule that touches the planned documents, database by database. */
    public List<RuleResult> check(List<DocumentUndo> plan) {
        Map<String, Set<BsonValue>> idsByNs = new LinkedHashMap<>();
        for (DocumentUndo d : plan) {
            if (d.outcome() != Outcome.UNCHANGED) {
                idsByNs.computeIfAbsent(d.ns(), k -> new LinkedHashSet<>()).add(d.id());
            }
        }
        add(idsByNs);
        return results();
    }

    /**
     * Checks the references into and out of some of the planned documents (by namespace) and adds
     * what it found to the checks before: for a plan too large to check at once, run once every write
     * is made. Counts add up (a document that refers to documents of two parts is counted in each),
     * the missing targets are a lower bound once two parts found some, the samples are the first ten.
     */
    public RefsAfterUndo add(Map<String, Set<BsonValue>> idsByNs) {
        Set<String> dbs = new LinkedHashSet<>();
        idsByNs.keySet().forEach(ns -> dbs.add(ns.substring(0, ns.indexOf('.'))));
        for (String db : dbs) {
            List<ReferenceRule> rules = rulesByDb.computeIfAbsent(db, d -> refsFile != null ? RefsFile.read(refsFile, d)
                    : new ReferenceInference(client.getDatabase(d)).infer());
            ReferenceCheck check = new ReferenceCheck(client).samples(SAMPLES);
            for (ReferenceRule rule : rules) {
                Set<BsonValue> into = rule.target() == null ? null : idsByNs.get(rule.target().toString());
                if (into != null) {
                    check.run(db, "after undo", List.of(rule), CheckScope.targets(into)).results()
                            .forEach(r -> merge("into " + rule, r));
                }
                Set<BsonValue> outOf = idsByNs.get(rule.source().toString());
                if (outOf != null) {
                    check.run(db, "after undo", List.of(rule), CheckScope.sources(Filters.in("_id", new ArrayList<>(outOf))))
                            .results().forEach(r -> merge("out of " + rule, r));
                }
            }
        }
        return this;
    }

    /** What every part checked so far found. */
    public List<RuleResult> results() {
        return new ArrayList<>(results.values());
    }

    private void merge(String key, RuleResult r) {
        results.merge(key, r, (a, b) -> {
            List<DanglingRef> samples = new ArrayList<>(a.samples());
            b.samples().stream().limit(Math.max(0, SAMPLES - samples.size())).forEach(samples::add);
            boolean capped = a.missingTargetsCapped() || b.missingTargetsCapped()
                    || (a.missingTargets() > 0 && b.missingTargets() > 0);
            return new RuleResult(a.rule(), a.documents() + b.documents(), a.references() + b.references(),
                    a.dangling() + b.dangling(), a.documentsWithDangling() + b.documentsWithDangling(),
                    Math.max(a.missingTargets(), b.missingTargets()), capped, List.copyOf(samples));
        });
    }
}
