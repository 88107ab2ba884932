package dev.rewind.undo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import dev.rewind.cli.CliRun;
import dev.rewind.event.ClusterTime;
import dev.rewind.sandbox.SandboxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TTL index set too short deletes every document past it at the TTL monitor's next pass, as
 * ordinary deletes (manual, "TTL Indexes"). Undo can put them back, but while the index stands the
 * monitor deletes them again within a minute: undo says so in the dry run, and refuses --apply
 * before it writes anything, unless --despite-ttl.
 */
class UndoTtlTest {
    @TempDir
    Path tmp;

    @Test
    void aTooShortTtlIsUndoneOnlyOnceTheIndexIsFixedAndTheDryRunSaysWhy() throws Exception {
        try (Captured captured = new Captured(tmp.resolve("repo").toString(),
                SandboxOptions.defaults().ttlMonitorSleep(Duration.ofMillis(300)))) {
            MongoCollection<Document> accounts = captured.db.getCollection("accounts");
            List<Document> seed = new ArrayList<>();
            for (int i = 1; i <= 100; i++) {
                seed.add(new Document("_id", i).append("lastLogin", Date.from(Instant.now().minus(Duration.ofDays(i)))));
            }
            accounts.insertMany(seed);
            captured.startCapture();
            ClusterTime t1 = captured.now();
            // meant: a year; typed: 30 days
            accounts.createIndex(Indexes.ascending("lastLogin"), new IndexOptions().name("lastLogin_1")
                    .expireAfter(30L * 86_400, TimeUnit.SECONDS));
            for (long end = System.currentTimeMillis() + 20_000; accounts.countDocuments() > 29 && System.currentTimeMillis() < end; ) {
                Thread.sleep(100);
            }
            assertThat(accounts.countDocuments()).as("the monitor took every account idle for more than 30 days").isEqualTo(29);
            ClusterTime t2 = captured.now();
            captured.stopCapture();
            String[] window = {"--ns", "famigo.accounts", "--from", t1.toString(), "--to", t2.toString()};

            CliRun.Result dry = captured.undo(concat(window, "--json"));
            assertThat(dry.exitCode()).as("%s", dry).isZero();
            Document plan = Document.parse(dry.out());
            assertThat(plan.get("totals", Document.class)).containsEntry("restored", 71);
            assertThat(plan.getList("collections", String.class)).singleElement().asString().contains(
                    "famigo.accounts: its TTL index lastLogin_1 (lastLogin, expireAfterSeconds 2592000) has expired 71 of the documents",
                    "deletes them again within a minute");

            CliRun.Result refused = captured.undo(concat(window, "--apply"));
            assertThat(refused.exitCode()).as("%s", refused).isEqualTo(10);
            assertThat(refused.err()).contains("a TTL index would delete again documents this undo puts back", "--despite-ttl");
            assertThat(accounts.countDocuments()).as("nothing written").isEqualTo(29);
            assertThat(Files.exists(Path.of(captured.repo, "journals"))
                    && Files.list(Path.of(captured.repo, "journals")).findAny().isPresent()).as("no journal begun").isFalse();

            // the fix the hint names: a year, as meant
            captured.db.runCommand(Document.parse("{collMod: 'accounts', index: {name: 'lastLogin_1', expireAfterSeconds: 31536000}}"));
            CliRun.Result applied = captured.undo(concat(window, "--apply"));
            assertThat(applied.exitCode()).as("%s", applied).isZero();
            Thread.sleep(1000);  // three monitor passes: nothing expires any more
            assertThat(accounts.countDocuments()).isEqualTo(100);
        }
    }

    /** A dropped collection comes back with the TTL index it had at T1: its expired documents are counted too. */
    @Test
    void theTtlIndexADroppedCollectionGetsBackCountsToo() throws Exception {
        try (Captured captured = new Captured(tmp.resolve("repo2").toString())) {  // the monitor's first pass is a minute away
            MongoCollection<Document> sessions = captured.db.getCollection("sessions");
            sessions.createIndex(Indexes.ascending("createdAt"), new IndexOptions().expireAfter(86_400L, TimeUnit.SECONDS));
            sessions.insertMany(List.of(new Document("_id", 1).append("createdAt", Date.from(Instant.now().minus(Duration.ofDays(2)))),
                    new Document("_id", 2).append("createdAt", new Date())));
            captured.startCapture();
            ClusterTime t1 = captured.now();
            sessions.drop();
            ClusterTime t2 = captured.now();
            captured.stopCapture();

            CliRun.Result dry = captured.undo("--ns", "famigo.sessions", "--from", t1.toString(), "--to", t2.toString(),
                    "--ops", "drop", "--json");
            assertThat(dry.exitCode()).as("%s", dry).isZero();
            assertThat(Document.parse(dry.out()).getList("collections", String.class)).anySatisfy(n -> assertThat(n)
                    .contains("famigo.sessions: its TTL index createdAt_1 (createdAt, expireAfterSeconds 86400) has expired 1 of"));
            CliRun.Result refused = captured.undo("--ns", "famigo.sessions", "--from", t1.toString(), "--to", t2.toString(),
                    "--ops", "drop", "--apply");
            assertThat(refused.exitCode()).as("%s", refused).isEqualTo(10);
            assertThat(captured.db.listCollectionNames().into(new ArrayList<>())).as("nothing re-created").isEmpty();

            // restore --at into another name creates the TTL index too: it says what the monitor will take
            CliRun.Result restored = CliRun.run("restore", "--repo", captured.repo, "--uri", captured.sandbox.uri(), "--at",
                    t1.toString(), "--ns-from", "famigo.sessions", "--ns-to", "famigo_restored.sessions", "--json");
            assertThat(restored.exitCode()).as("%s", restored).isZero();
            assertThat(restored.err()).contains("warning: famigo_restored.sessions: its TTL index createdAt_1 (createdAt,"
                    + " expireAfterSeconds 86400) has already expired 1 of the documents restored");
            assertThat(Document.parse(restored.out()).getList("ttl", String.class)).hasSize(1);
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
