package dev.rewind.cli;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Updates;
import dev.rewind.NamespacePattern;
import dev.rewind.bench.Families;
import dev.rewind.capture.CaptureLoop;
import dev.rewind.capture.CaptureOptions;
import dev.rewind.detect.AlertSink;
import dev.rewind.detect.Alerts;
import dev.rewind.detect.Backoff;
import dev.rewind.detect.IncidentChange;
import dev.rewind.detect.IncidentStore;
import dev.rewind.detect.IncidentWatch;
import dev.rewind.detect.Rules;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * The seed story, told on the embedded server: families under capture, an accidental delete loop
 * while sign-ups go on, the alert, what happened, the undo and its conflicts, and the check that
 * every family is back.
 */
final class DemoStory {
    private static final int SURVIVORS = 38;
    private static final int RECREATED = 3;

    private final Sandbox sandbox;
    private final MongoClient client;
    private final Path dir;
    private final int families;
    private final Narrator say;
    private final ToIntFunction<String[]> rewind;
    private static final long BEFORE_THE_ACCIDENT_MILLIS = 3000;
    private static final long LOOP_DELETES_PER_SECOND = 800;
    private final AtomicLong deletes = new AtomicLong();
    private volatile long alertAtDeletes = -1;
    private volatile long alertCounted;
    private volatile long alertAfterMillis;
    private volatile long firstDeleteNanos;

    DemoStory(Sandbox sandbox, MongoClient client, Path dir, int families, Narrator say, ToIntFunction<String[]> rewind) {
        this.sandbox = sandbox;
        this.client = client;
        this.dir = dir;
        this.families = families;
        this.say = say;
        this.rewind = rewind;
    }

    boolean tell() throws Exception {
        String uri = sandbox.uri();
        MongoDatabase db = client.getDatabase("famigo");
        say.step("1. A families database on an embedded MongoDB-compatible server (" + uri + ")");
        List<ObjectId> ids = load(db);
        say.line(String.format("famigo.family: %,d families (unique index on email); famigo.child: one child each", families));

        say.step("2. Rewind captures every change into a repository, and watches for accidents");
        run("init", "--repo", dir.toString());
        Repository repo = Repositories.open(dir.toString());
        CaptureLoop loop = new CaptureLoop(repo, client, uri, new CaptureOptions(List.of(NamespacePattern.parse("famigo.*")),
                Duration.ofMillis(500), Duration.ofSeconds(1), null, 20_000), m -> { });
        AtomicBoolean stop = new AtomicBoolean();
        Rules rules = new Rules(Rules.defaultRules(), 3);
        AlertSink toScreen = new AlertSink() {
            @Override
            public String name() {
                return "the screen";
            }

            @Override
            public void send(dev.rewind.detect.Alert alert) {
                if (alert.kind() == IncidentChange.Kind.OPENED && alertAtDeletes < 0) {
                    alertCounted = alert.incident().total();
                    alertAtDeletes = deletes.get();
                    alertAfterMillis = (System.nanoTime() - firstDeleteNanos) / 1_000_000;
                }
                say.alarm(alert.logLine());
            }
        };
        Thread capture;
        try (Alerts alerts = new Alerts(List.of(toScreen), m -> { }, Backoff.DEFAULT, 100);
             IncidentWatch watch = new IncidentWatch(repo, rules, alerts, loop::covered, uri, m -> { }).startTicking()) {
            loop.onSealed(watch);
            capture = new Thread(() -> {
                try {
                    loop.run(stop);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "demo-capture");
            capture.start();
            while (repo.snapshots().isEmpty()) {
                Thread.sleep(50);
            }
            Thread.sleep(1100);
            say.line("capture is running: the first snapshot is taken, every change is durable within 0.5 s");

            say.step("3. An engineer's shell loop deletes the families one at a time (it meant to save them),"
                    + " while sign-ups go on");
            Map<ObjectId, Document> before = byId(db.getCollection("family"));
            List<ObjectId> deleted = new ArrayList<>(ids.subList(0, ids.size() - SURVIVORS));
            List<ObjectId> signups = accident(db.getCollection("family"), deleted, ids.subList(ids.size() - SURVIVORS, ids.size()));
            say.line(String.format("the loop stopped with %,d families left; %,d sign-ups came in meanwhile",
                    SURVIVORS + signups.size(), signups.size()));
            if (alertAtDeletes >= 0) {
                say.line(String.format("the alert above fired %.1f s after the first delete: the detector had counted %,d"
                                + " deletes when the rule tripped (the loop had sent %,d by the time the alert was on screen)",
                        alertAfterMillis / 1000.0, alertCounted, alertAtDeletes));
            }
            List<String> recreated = new ArrayList<>();
            for (int i = 0; i < RECREATED; i++) {
                Document old = before.get(deleted.get(deleted.size() / 2 + i * 7));
                recreated.add(old.getString("email"));
                db.getCollection("family").insertOne(new Document("_id", new ObjectId()).append("email", old.getString("email"))
                        .append("name", old.getString("name")).append("plan", "free"));
            }
            say.line(RECREATED + " of the deleted families sign up again on their own: same email, new _id");
            awaitClosed(repo);

            say.step("4. What happened");
            run("incidents", "--repo", dir.toString());
            run("timeline", "--repo", dir.toString(), "--ns", "famigo.family");

            say.step("5. The undo, as a dry run: what it would put back, and what it would leave alone");
            run("undo", "--repo", dir.toString(), "--uri", uri, "--incident", "1", "--samples", "3");

            say.step("6. Apply it (journaled), and check the references it touched");
            run("undo", "--repo", dir.toString(), "--uri", uri, "--incident", "1", "--apply", "--check-refs", "--samples", "3");

            say.step("7. Check");
            boolean complete = check(db, before, deleted, recreated, signups);
            stop.set(true);
            capture.join();
            say.step("Next, against a real deployment (a replica set or a sharded cluster):");
            say.line("./rewind init --repo /backups/famigo");
            say.line("./rewind capture --uri 'mongodb://USER:PASS@HOST1,HOST2/?replicaSet=rs0' --repo /backups/famigo "
                    + "--ns 'famigo.*' --alert-webhook https://hooks.slack.com/services/...");
            say.line("./rewind status --repo /backups/famigo");
            say.line("(this demo's repository is in " + dir + ")");
            return complete;
        }
    }

    private List<ObjectId> load(MongoDatabase db) {
        MongoCollection<Document> family = db.getCollection("family");
        family.createIndex(new Document("email", 1), new IndexOptions().unique(true));
        Families gen = new Families(1);
        List<ObjectId> ids = new ArrayList<>();
        List<Document> batch = new ArrayList<>();
        List<Document> children = new ArrayList<>();
        for (int i = 0; i < families; i++) {
            Document f = gen.next();
            ids.add(f.getObjectId("_id"));
            batch.add(f);
            children.add(new Document("_id", new ObjectId()).append("familyId", f.getObjectId("_id")).append("name", "kid " + i));
            if (batch.size() == 1000 || i == families - 1) {
                family.insertMany(batch);
                db.getCollection("child").insertMany(children);
                batch.clear();
                children.clear();
            }
        }
        return ids;
    }

    /** Deletes {@code deleted} one at a time while another client signs families up and updates survivors. */
    private List<ObjectId> accident(MongoCollection<Document> family, List<ObjectId> deleted, List<ObjectId> survivors)
            throws InterruptedException {
        AtomicBoolean over = new AtomicBoolean();
        List<ObjectId> signups = new ArrayList<>();
        Thread others = new Thread(() -> {
            Families gen = new Families(2);
            int n = 0;
            while (!over.get()) {
                Document f = gen.next().append("email", "signup" + n + "@example.org");
                family.insertOne(f);
                synchronized (signups) {
                    signups.add(f.getObjectId("_id"));
                }
                family.updateOne(Filters.eq("_id", survivors.get(n++ % survivors.size())), Updates.set("lastSeen", n));
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "demo-signups");
        others.start();
        Thread.sleep(BEFORE_THE_ACCIDENT_MILLIS);  // an ordinary couple of seconds first: the timeline's baseline
        firstDeleteNanos = System.nanoTime();
        for (ObjectId id : deleted) {
            family.deleteOne(Filters.eq("_id", id));
            long n = deletes.incrementAndGet();
            // a shell loop over the network deletes a few hundred a second; the sandbox alone would be faster
            long due = firstDeleteNanos + n * 1_000_000_000L / LOOP_DELETES_PER_SECOND;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            if (n % 500 == 0) {
                say.line(String.format("... %,d families deleted", n));
            }
        }
        over.set(true);
        others.join();
        synchronized (signups) {
            return new ArrayList<>(signups);
        }
    }

    private void awaitClosed(Repository repo) throws InterruptedException {
        IncidentStore store = new IncidentStore(repo.store());
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline && (store.all().isEmpty() || store.all().get(0).isOpen())) {
            Thread.sleep(200);
        }
    }

    private boolean check(MongoDatabase db, Map<ObjectId, Document> before, List<ObjectId> deleted, List<String> recreated,
                          List<ObjectId> signups) {
        Map<ObjectId, Document> now = byId(db.getCollection("family"));
        long back = 0;
        long missing = 0;
        for (ObjectId id : deleted) {
            Document was = before.get(id);
            if (recreated.contains(was.getString("email"))) {
                continue;
            }
            if (was.equals(now.get(id))) {
                back++;
            } else {
                missing++;
            }
        }
        long keptSignups = signups.stream().filter(now::containsKey).count();
        say.line(String.format("%,d of the %,d deleted families are back with their original _id and content;"
                + " %d were re-created by their owners and left as they are (the conflicts above)", back, deleted.size(),
                RECREATED));
        say.line(String.format("all %,d sign-ups made during and after the accident are still there: %s", signups.size(),
                keptSignups == signups.size() ? "yes" : "NO (" + keptSignups + ")"));
        boolean complete = missing == 0 && keptSignups == signups.size();
        if (complete) {
            say.line("recovery complete.");
        } else {
            say.alarm("RECOVERY INCOMPLETE: " + missing + " deleted families are not back");
        }
        return complete;
    }

    private static Map<ObjectId, Document> byId(MongoCollection<Document> coll) {
        Map<ObjectId, Document> out = new HashMap<>();
        coll.find().batchSize(1000).forEach(d -> out.put(d.getObjectId("_id"), d));
        return out;
    }

    private void run(String... args) {
        int code = rewind.applyAsInt(args);
        if (code != 0) {
            throw new dev.rewind.RewindException(dev.rewind.ExitCode.INTERNAL,
                    "demo step 'rewind " + args[0] + "' failed with exit code " + code, "rerun with --verbose");
        }
    }
}
