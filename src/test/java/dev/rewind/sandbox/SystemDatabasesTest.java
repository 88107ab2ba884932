package dev.rewind.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoCommandException;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * {@code listDatabases} and the databases a replica-set member keeps for itself, as mongod has them.
 * <ul>
 * <li>The first test is mongod's own {@code jstests/core/catalog/list_databases.js}: {@code filter}
 * (a regular expression, an equality, {@code $expr}), {@code totalSize} the sum of the listed
 * {@code sizeOnDisk}s, {@code nameOnly} giving entries with {@code name} only and no
 * {@code totalSize}. mongod's {@code list_databases.cpp}: the command runs only on {@code admin}.</li>
 * <li>MongoDB manual, "listDatabases": each entry has {@code name}, {@code sizeOnDisk} and
 * {@code empty}, with {@code totalSize} and {@code totalSizeMb}; "local Database": every
 * replica-set member has {@code local}, holding {@code oplog.rs} (a capped collection) and
 * {@code system.replset} (the set's configuration); "setFeatureCompatibilityVersion": the version is
 * a document of {@code admin.system.version}; "config Database": {@code config.system.sessions} and
 * {@code config.transactions}.</li>
 * </ul>
 */
class SystemDatabasesTest {
    private static List<String> names(Document reply) {
        List<String> out = new ArrayList<>();
        for (Document d : reply.getList("databases", Document.class)) {
            out.add(d.getString("name"));
        }
        return out;
    }

    private static void verifySizeSum(Document reply) {
        long sum = 0;
        for (Document d : reply.getList("databases", Document.class)) {
            sum += ((Number) d.get("sizeOnDisk")).longValue();
        }
        assertThat(((Number) reply.get("totalSize")).longValue()).isEqualTo(sum);
    }

    private static void verifyNameOnly(Document reply) {
        assertThat(reply.keySet()).isSubsetOf("databases", "ok", "operationTime", "$clusterTime");
        for (Document d : reply.getList("databases", Document.class)) {
            assertThat(d.keySet()).containsExactly("name");
        }
    }

    @Test
    void listDatabasesAsMongodsJstestChecksIt() {
        try (Server s = Server.start(SandboxOptions.defaults())) {
            for (String name : List.of("foo", "bar", "baz", "zap")) {
                s.coll("jstest_list_databases_" + name, "coll").insertOne(new Document());
            }
            Document all = s.run("admin", "{listDatabases: 1, filter: {name: /jstest_list_databases/}}");
            assertThat(names(all)).hasSize(4);
            verifySizeSum(all);
            Document ba = s.run("admin", "{listDatabases: 1, filter: {name: /^jstest_list_databases_ba/}}");
            assertThat(names(ba)).containsExactly("jstest_list_databases_bar", "jstest_list_databases_baz");
            verifySizeSum(ba);
            Document admin = s.run("admin", "{listDatabases: 1, filter: {name: 'admin'}}");
            assertThat(names(admin)).containsExactly("admin");
            verifySizeSum(admin);
            Document nameOnly = s.run("admin", "{listDatabases: 1, nameOnly: true}");
            assertThat(names(nameOnly).size()).isGreaterThanOrEqualTo(4);
            verifyNameOnly(nameOnly);
            Document zap = s.run("admin", "{listDatabases: 1, nameOnly: true, filter: {name: /zap/}}");
            assertThat(names(zap)).containsExactly("jstest_list_databases_zap");
            verifyNameOnly(zap);
            Document expr = s.run("admin", "{listDatabases: 1, filter: {$expr: {$eq: ['$name', 'jstest_list_databases_zap']}}}");
            assertThat(names(expr)).containsExactly("jstest_list_databases_zap");

            MongoCommandException notAdmin = s.fails("jstest_list_databases_foo", "{listDatabases: 1}");
            assertThat(notAdmin.getErrorCode()).isEqualTo(13);
            assertThat(notAdmin.getErrorMessage()).contains("may only be run against the admin database");
        }
    }

    @Test
    void everyMemberListsAdminConfigAndLocalBesideTheDatabasesThatHoldACollection() {
        try (Server s = Server.start(SandboxOptions.defaults())) {
            Document fresh = s.run("admin", "{listDatabases: 1}");
            assertThat(names(fresh)).containsExactly("admin", "config", "local");
            for (Document d : fresh.getList("databases", Document.class)) {
                assertThat(d.getBoolean("empty")).isFalse();
                assertThat(d.get("sizeOnDisk")).isInstanceOf(Long.class);
            }
            assertThat(fresh.get("totalSize")).isInstanceOf(Long.class);
            assertThat(fresh.get("totalSizeMb")).isEqualTo(((Long) fresh.get("totalSize")) / (1024 * 1024));

            s.coll("famigo", "families").insertOne(new Document("_id", 1).append("name", "a"));
            s.run("famigo", "{create: 'names', viewOn: 'families', pipeline: []}");
            Document one = s.run("admin", "{listDatabases: 1, filter: {name: 'famigo'}}");
            long small = ((Number) one.getList("databases", Document.class).get(0).get("sizeOnDisk")).longValue();
            assertThat(small).isPositive();
            List<Document> many = new ArrayList<>();
            for (int i = 2; i <= 1000; i++) {
                many.add(new Document("_id", i).append("name", "family " + i));
            }
            s.coll("famigo", "families").insertMany(many);
            Document more = s.run("admin", "{listDatabases: 1, filter: {name: 'famigo'}}");
            assertThat(((Number) more.getList("databases", Document.class).get(0).get("sizeOnDisk")).longValue())
                    .isGreaterThan(small * 100);
            assertThat(names(s.run("admin", "{listDatabases: 1}"))).containsExactly("admin", "config", "famigo", "local");

            // a database whose every collection is dropped no longer exists
            s.run("famigo", "{drop: 'names'}");
            s.run("famigo", "{drop: 'families'}");
            assertThat(names(s.run("admin", "{listDatabases: 1}"))).containsExactly("admin", "config", "local");
            List<String> driver = new ArrayList<>();
            s.client.listDatabaseNames().forEach(driver::add);
            assertThat(driver).containsExactly("admin", "config", "local");
        }
    }

    @Test
    void theSystemCollectionsAreListedAndReadAsOnMongod() {
        for (MongoRelease release : MongoRelease.values()) {
            try (Server s = Server.start(release)) {
                assertThat(collections(s, "admin")).containsExactly("system.version");
                assertThat(collections(s, "config")).containsExactly("system.sessions", "transactions");
                assertThat(collections(s, "local")).containsExactly("oplog.rs", "system.replset");

                assertThat(s.coll("admin", "system.version").find().into(new ArrayList<>()))
                        .containsExactly(new Document("_id", "featureCompatibilityVersion").append("version", release.label()));
                Document config = s.run("admin", "{replSetGetConfig: 1}").get("config", Document.class);
                assertThat(s.coll("local", "system.replset").find().first()).isEqualTo(config);
                assertThat(s.coll("config", "transactions").find(new Document("state", new Document("$in", List.of("prepared"))))
                        .sort(new Document("startOpTime", 1)).first()).isNull();

                Document oplog = s.db("local").listCollections().filter(new Document("name", "oplog.rs")).first();
                assertThat(oplog.get("options", Document.class).getBoolean("capped")).isTrue();
                assertThat(((Number) oplog.get("options", Document.class).get("size")).longValue())
                        .isEqualTo(SandboxOptions.defaults().oplogBytes());
                assertThat(oplog.containsKey("idIndex")).isFalse();
                s.coll("t", "c").insertOne(new Document("_id", 1));
                long entries = ((Number) s.run("local", "{count: 'oplog.rs'}").get("n")).longValue();
                assertThat(entries).isPositive().isEqualTo(s.coll("local", "oplog.rs").find().into(new ArrayList<>()).size());
                assertThat(((Number) s.run("admin", "{count: 'system.version'}").get("n")).longValue()).isEqualTo(1);

                List<String> sessionIndexes = new ArrayList<>();
                s.coll("config", "system.sessions").listIndexes().forEach(i -> sessionIndexes.add(i.getString("name")
                        + (i.containsKey("expireAfterSeconds") ? " " + i.get("expireAfterSeconds") : "")));
                assertThat(sessionIndexes).containsExactly("_id_", "lsidTTLIndex 1800");

                for (String write : List.of("{insert: 'system.version', documents: [{_id: 'x'}]}",
                        "{delete: 'system.version', deletes: [{q: {}, limit: 0}]}")) {
                    assertThat(s.fails("admin", write).getErrorCode()).isEqualTo(115);
                }
                assertThat(s.fails("config", "{drop: 'transactions'}").getErrorCode()).isEqualTo(115);
                assertThat(s.coll("admin", "system.version").find().into(new ArrayList<>())).hasSize(1);
            }
        }
    }

    private static List<String> collections(Server s, String db) {
        List<String> out = new ArrayList<>();
        s.db(db).listCollectionNames().forEach(out::add);
        return out;
    }
}
