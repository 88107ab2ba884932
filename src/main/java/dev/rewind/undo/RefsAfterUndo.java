package dev.rewind.undo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import dev.rewind.check.CheckScope;
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
    private final MongoClient client;
    private final Path refsFile;

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
        Set<String> dbs = new LinkedHashSet<>();
        idsByNs.keySet().forEach(ns -> dbs.add(ns.substring(0, ns.indexOf('.'))));
        List<RuleResult> out = new ArrayList<>();
        for (String db : dbs) {
            List<ReferenceRule> rules = refsFile != null ? RefsFile.read(refsFile, db)
                    : new ReferenceInference(client.getDatabase(db)).infer();
            ReferenceCheck check = new ReferenceCheck(client);
            for (ReferenceRule rule : rules) {
                Set<BsonValue> into = rule.target() == null ? null : idsByNs.get(rule.target().toString());
                if (into != null) {
                    out.addAll(check.run(db, "after undo", List.of(rule), CheckScope.targets(into)).results());
                }
                Set<BsonValue> outOf = idsByNs.get(rule.source().toString());
                if (outOf != null) {
                    out.addAll(check.run(db, "after undo", List.of(rule),
                            CheckScope.sources(Filters.in("_id", new ArrayList<>(outOf)))).results());
                }
            }
        }
        return out;
    }

}
