package dev.rewind.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A query with a top-level {@code $or} returns exactly the documents that match it, whether its
 * clauses go through indexes or not (MongoDB manual, "$or": "$or Clauses and Indexes" — all
 * clauses indexed: index scans; otherwise a collection scan; the result is the same). The sandbox
 * answers an {@code $or} whose every clause a unique index answers by one lookup per clause (undo
 * asks so for unique keys taken since); these check that what comes back is unchanged: the whole
 * query still decides, clauses that match the same document return it once, and a clause no index
 * answers sends the query to a scan. A query with equality on every field of a unique index beside
 * other conditions goes through that index's lookup (manual, "Query Optimization"), and the whole
 * query still decides: undo's conditional writes filter on a whole document.
 */
class OrQueryTest {
    @Test
    void inMemory() {
        try (Sandbox sandbox = Sandbox.inMemory()) {
            check(sandbox);
        }
    }

    @Test
    void onDisk(@TempDir Path dir) throws Exception {
        try (Sandbox sandbox = Sandbox.start("127.0.0.1", 0, Files.createDirectories(dir.resolve("data")))) {
            check(sandbox);
        }
    }

    private static void check(Sandbox sandbox) {
        try (MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoCollection<Document> c = client.getDatabase("app").getCollection("accounts");
            c.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
            c.createIndex(Indexes.ascending("code"), new IndexOptions().unique(true).sparse(true));
            c.createIndex(Indexes.ascending("org", "login"), new IndexOptions().unique(true));
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                Document d = new Document("_id", i).append("org", i % 7).append("login", "u" + i)
                        .append("plan", i % 3 == 0 ? "gold" : "free").append("members", i % 6);
                if (i != 5) {
                    d.append("email", "a" + i + "@example.org");   // one account without an email: null in the index
                }
                if (i % 2 == 0) {
                    d.append("code", "c" + i);
                }
                docs.add(d);
            }
            c.insertMany(docs);

            // every clause through the unique index on email; one clause matches nothing, one asks for null
            same(c, docs, Filters.or(Filters.eq("email", "a10@example.org"), Filters.eq("email", "a11@example.org"),
                    Filters.eq("email", "nobody@example.org"), Filters.eq("email", null)),
                    d -> Set.of(5, 10, 11).contains(id(d)));
            // two clauses that find the same document: returned once
            same(c, docs, Filters.or(Filters.eq("email", "a20@example.org"), Filters.eq("_id", 20), Filters.eq("_id", 21)),
                    d -> id(d) == 20 || id(d) == 21);
            // the whole query decides, not the clauses alone
            same(c, docs, Filters.and(Filters.or(Filters.eq("email", "a30@example.org"), Filters.eq("email", "a31@example.org"),
                    Filters.eq("email", "a32@example.org")), Filters.gt("members", 0)),
                    d -> Set.of(31, 32).contains(id(d)));
            // a compound unique key and an $in clause
            same(c, docs, Filters.or(new Document("org", 3).append("login", "u3"), Filters.in("email", "a40@example.org",
                    "a41@example.org")), d -> Set.of(3, 40, 41).contains(id(d)));
            // a clause no index answers: the query scans, and still returns every match
            same(c, docs, Filters.or(Filters.eq("email", "a50@example.org"), Filters.eq("plan", "gold")),
                    d -> id(d) == 50 || "gold".equals(d.getString("plan")));
            // a sparse index does not hold documents without the field: {code: null} scans
            same(c, docs, Filters.or(Filters.eq("code", "c60"), Filters.eq("code", null)),
                    d -> id(d) == 60 || !d.containsKey("code"));

            // equality on every field of a unique index beside other conditions: through that index, the rest still decides
            same(c, docs, Filters.and(Filters.eq("_id", 90), Filters.eq("plan", "gold"), Filters.eq("members", 0)), d -> id(d) == 90);
            assertThat(c.countDocuments(Filters.and(Filters.eq("_id", 91), Filters.eq("plan", "gold")))).as("91 is free").isZero();
            same(c, docs, Filters.and(Filters.eq("email", "a93@example.org"), Filters.gte("members", 0)), d -> id(d) == 93);
            same(c, docs, new Document("org", 95 % 7).append("login", "u95").append("plan", "free"), d -> id(d) == 95);
            same(c, docs, Filters.and(Filters.in("_id", 96, 97, 98), Filters.eq("plan", "free")), d -> Set.of(97, 98).contains(id(d)));
            same(c, docs, Filters.and(Filters.gt("_id", 1990), Filters.eq("plan", "gold")), d -> id(d) > 1990 && id(d) % 3 == 0);

            // writes select with the same rule
            assertThat(c.deleteMany(Filters.or(Filters.eq("email", "a70@example.org"), Filters.eq("email", "a71@example.org")))
                    .getDeletedCount()).isEqualTo(2);
            assertThat(c.updateMany(Filters.or(Filters.eq("email", "a80@example.org"), Filters.eq("code", "c82")),
                    new Document("$set", new Document("plan", "team"))).getModifiedCount()).isEqualTo(2);
            assertThat(ids(c, Filters.eq("plan", "team"))).containsExactly(80, 82);
            assertThat(c.countDocuments(Filters.or(Filters.eq("email", "a70@example.org"), Filters.eq("email", "a72@example.org"))))
                    .isEqualTo(1);
            // a whole document as the filter, as undo's and revert's conditional writes send it: only while it is unchanged
            assertThat(c.deleteOne(docs.get(100)).getDeletedCount()).isEqualTo(1);
            assertThat(c.deleteOne(docs.get(100)).getDeletedCount()).isZero();
            Document replaced = new Document("_id", 101).append("email", "a101@example.org").append("plan", "replaced");
            assertThat(c.replaceOne(docs.get(101), replaced).getModifiedCount()).isEqualTo(1);
            assertThat(c.replaceOne(docs.get(101), new Document("_id", 101).append("plan", "again")).getMatchedCount()).isZero();
            assertThat(c.find(Filters.eq("_id", 101)).first()).isEqualTo(replaced);
        }
    }

    private static void same(MongoCollection<Document> c, List<Document> docs, Bson filter, Predicate<Document> oracle) {
        Set<Integer> expected = new TreeSet<>();
        docs.stream().filter(oracle).forEach(d -> expected.add(id(d)));
        assertThat(expected).as("the oracle selects something").isNotEmpty();
        assertThat(ids(c, filter)).as(filter.toString()).containsExactlyElementsOf(expected);
    }

    private static Set<Integer> ids(MongoCollection<Document> c, Bson filter) {
        List<Integer> found = new ArrayList<>();
        c.find(filter).batchSize(3).forEach(d -> found.add(id(d)));
        Set<Integer> unique = new TreeSet<>(found);
        assertThat(found).as("each document once").hasSameSizeAs(unique);
        return unique;
    }

    private static int id(Document d) {
        return d.getInteger("_id");
    }
}
