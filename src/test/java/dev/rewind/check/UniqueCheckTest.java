package dev.rewind.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import dev.rewind.sandbox.Sandbox;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UniqueCheckTest {
    static Sandbox sandbox;
    static MongoClient client;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.inMemory();
        client = MongoClients.create(sandbox.uri());
    }

    @AfterAll
    static void stop() {
        client.close();
        sandbox.close();
    }

    /**
     * Two sign-ups for the same person at the same moment: each creator checks that no family has
     * the email, both find none, both insert. Returns the two new {@code _id}s.
     */
    static List<BsonValue> raceTwoCreators(MongoCollection<Document> families, String email1, String email2)
            throws Exception {
        CyclicBarrier bothChecked = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<ObjectId>> created = new ArrayList<>();
            for (String email : List.of(email1, email2)) {
                created.add(pool.submit(() -> {
                    boolean exists = families.find(Filters.eq("email", email.strip().toLowerCase()))
                            .batchSize(1).first() != null;
                    bothChecked.await();
                    if (exists) {
                        return null;
                    }
                    ObjectId id = new ObjectId();
                    families.insertOne(new Document("_id", id).append("email", email).append("name", "Ann"));
                    return id;
                }));
            }
            List<BsonValue> ids = new ArrayList<>();
            for (Future<ObjectId> f : created) {
                ids.add(new BsonObjectId(f.get()));
            }
            return ids;
        } finally {
            pool.shutdownNow();
        }
    }

    static MongoCollection<Document> families(String db) {
        MongoCollection<Document> families = client.getDatabase(db).getCollection("family");
        for (int i = 0; i < 20; i++) {
            families.insertOne(new Document("email", "user" + i + "@example.com").append("name", "User " + i));
        }
        return families;
    }

    @Test
    void reportsDuplicateEmailsFromTwoConcurrentCreatorsAsOneGroup() throws Exception {
        List<BsonValue> ids = raceTwoCreators(families("race"), "ann@example.com", "ann@example.com");

        UniqueReport report = new UniqueCheck(client).run(new Namespace("race", "family"), List.of("email"), false);

        assertThat(report.groups()).isEqualTo(1);
        assertThat(report.duplicateDocuments()).isEqualTo(2);
        assertThat(report.shown()).extracting(DuplicateGroup::values, DuplicateGroup::count)
                .containsExactly(tuple(List.of(new BsonString("ann@example.com")), 2L));
        assertThat(report.shown().get(0).ids()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(report.method()).isEqualTo("server $group");
        assertThat(report.clean()).isFalse();
    }

    @Test
    void comparesEmailsIgnoringCaseAndSurroundingSpacesWhenAsked() throws Exception {
        List<BsonValue> ids = raceTwoCreators(families("racecase"), "ann@example.com", "  Ann@Example.COM ");
        Namespace ns = new Namespace("racecase", "family");

        UniqueReport exact = new UniqueCheck(client).run(ns, List.of("email"), false);
        UniqueReport normalized = new UniqueCheck(client).run(ns, List.of("email"), true);

        assertThat(exact.groups()).isZero();
        assertThat(exact.clean()).isTrue();
        assertThat(normalized.groups()).isEqualTo(1);
        assertThat(normalized.shown()).singleElement().satisfies(g -> {
            assertThat(g.values()).containsExactly(new BsonString("ann@example.com"));
            assertThat(g.ids()).containsExactlyInAnyOrderElementsOf(ids);
        });
        assertThat(normalized.createIndex()).contains("collation: {locale: \"en\", strength: 2}");
    }

    @Test
    void streamingInSeveralPassesFindsTheSameGroupsAsTheServer() {
        MongoCollection<Document> coll = client.getDatabase("passes").getCollection("member");
        for (int i = 0; i < 60; i++) {
            coll.insertOne(new Document("first", "name" + (i % 20)).append("last", i % 20 == 5 ? "Jones" + i : "Smith")
                    .append("age", i == 3 ? (Object) 7L : (Object) 7));
        }
        Namespace ns = new Namespace("passes", "member");
        List<String> fields = List.of("first", "last", "age");

        UniqueReport server = new UniqueCheck(client).method(UniqueCheck.Method.SERVER).run(ns, fields, false);
        UniqueReport streaming = new UniqueCheck(client).method(UniqueCheck.Method.STREAMING).keysPerPass(7)
                .run(ns, fields, false);

        assertThat(streaming.method()).isEqualTo("streaming, 9 passes");
        assertThat(streaming.groups()).isEqualTo(server.groups()).isEqualTo(19);
        assertThat(streaming.duplicateDocuments()).isEqualTo(server.duplicateDocuments()).isEqualTo(57);
        assertThat(sortedIds(streaming)).isEqualTo(sortedIds(server));
    }

    static List<String> sortedIds(UniqueReport report) {
        List<String> groups = new ArrayList<>();
        for (DuplicateGroup g : report.shown()) {
            List<String> ids = new ArrayList<>(g.ids().stream().map(v -> v.asObjectId().getValue().toHexString()).toList());
            Collections.sort(ids);
            groups.add(String.join(",", ids));
        }
        Collections.sort(groups);
        return groups;
    }

    @Test
    void countsDocumentsWithoutTheFieldInsteadOfGroupingThem() {
        MongoCollection<Document> coll = client.getDatabase("sparse").getCollection("family");
        coll.insertOne(new Document("name", "no email 1"));
        coll.insertOne(new Document("name", "no email 2"));
        coll.insertOne(new Document("email", "a@example.com"));

        UniqueReport report = new UniqueCheck(client).run(new Namespace("sparse", "family"), List.of("email"), false);

        assertThat(report.clean()).isTrue();
        assertThat(report.withoutFields()).isEqualTo(2);
        assertThat(report.createIndex())
                .isEqualTo("db.getSiblingDB(\"sparse\").family.createIndex({email: 1}, {unique: true, sparse: true})");
    }

    @Test
    void saysWhichUniqueIndexAlreadyHoldsTheFields() {
        MongoCollection<Document> coll = client.getDatabase("indexed").getCollection("family");
        coll.createIndex(new Document("email", 1).append("country", 1), new IndexOptions().unique(true).name("email_country"));
        coll.createIndex(new Document("email", 1));
        coll.insertOne(new Document("email", "a@example.com").append("country", "NZ"));
        Namespace ns = new Namespace("indexed", "family");

        UniqueReport compound = new UniqueCheck(client).run(ns, List.of("email", "country"), false);
        UniqueReport single = new UniqueCheck(client).run(ns, List.of("email"), false);

        assertThat(compound.uniqueIndex()).isEqualTo("email_country");
        assertThat(single.uniqueIndex()).isNull();
        assertThat(compound.createIndex())
                .isEqualTo("db.getSiblingDB(\"indexed\").family.createIndex({email: 1, country: 1}, {unique: true})");
    }

    @Test
    void listsTheLargestGroupsFirstAndCountsTheRest() {
        MongoCollection<Document> coll = client.getDatabase("many").getCollection("family");
        for (int i = 0; i < 30; i++) {
            coll.insertOne(new Document("email", "e" + (i < 10 ? 0 : i % 5) + "@x"));
        }

        UniqueReport report = new UniqueCheck(client).groupsShown(2).idsPerGroup(3)
                .run(new Namespace("many", "family"), List.of("email"), true);

        assertThat(report.groups()).isEqualTo(5);
        assertThat(report.duplicateDocuments()).isEqualTo(30);
        assertThat(report.shown()).hasSize(2);
        assertThat(report.shown().get(0).values()).containsExactly(new BsonString("e0@x"));
        assertThat(report.shown().get(0).count()).isEqualTo(14);
        assertThat(report.shown()).allSatisfy(g -> assertThat(g.ids()).hasSize(3));
    }
}
