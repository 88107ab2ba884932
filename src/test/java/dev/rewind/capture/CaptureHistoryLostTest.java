package dev.rewind.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.rewind.cli.CliRun;
import dev.rewind.mongo.ClusterClock;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.sandbox.Sandbox;
import dev.rewind.sandbox.SandboxOptions;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server no longer has what capture needs to resume: while capture is stopped, enough is
 * written that the oplog (a small one, as {@code oplogSizeMB} sets it) rolls over past capture's
 * resume point, and a change stream asked to start there fails with ChangeStreamHistoryLost (286),
 * as mongod's does (MongoDB manual, "Change Streams": "you cannot resume a change stream if the
 * oplog has rolled past the resume point"). Capture must record the gap as data, say so, take a
 * new snapshot, and go on.
 */
class CaptureHistoryLostTest {
    @Test
    void aLostResumePointIsRecordedAsAGapAndANewSnapshotOpensANewWindow(@TempDir Path tmp) throws Exception {
        String repo = tmp.resolve("repo").toString();
        assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
        Repository r = Repositories.open(repo);

        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults().oplogBytes(256 * 1024));
             MongoClient client = MongoClients.create(sandbox.uri())) {
            String uri = sandbox.uri();
            MongoCollection<Document> docs = client.getDatabase("hist").getCollection("docs");
            for (int i = 0; i < 20; i++) {
                docs.insertOne(new Document("_id", i).append("n", i));
            }
            try (CaptureRun capture = CaptureRun.start(r, client, uri, "hist.*")) {
                docs.insertOne(new Document("_id", 100));
                Thread.sleep(1500);
            }
            docs.updateOne(Filters.eq("_id", 3), Updates.set("n", -3));   // while capture is stopped
            String filler = "x".repeat(1000);
            for (int i = 0; i < 600; i++) {                              // 600 KB: the oplog rolls over
                client.getDatabase("other").getCollection("filler").insertOne(new Document("_id", i).append("f", filler));
            }
            try (CaptureRun capture = CaptureRun.start(r, client, uri, "hist.*")) {
                Document status = null;
                for (int i = 0; i < 100; i++) {
                    status = Document.parse(CliRun.run("status", "--repo", repo, "--json").out());
                    if (!status.getList("gaps", Document.class).isEmpty() && status.getList("windows", Document.class).size() == 2) {
                        break;
                    }
                    Thread.sleep(200);
                }
                assertThat(status.getList("gaps", Document.class)).singleElement()
                        .satisfies(g -> assertThat(g.getString("reason")).contains("no longer has the resume point"));
                assertThat(status.getList("windows", Document.class)).hasSize(2);
                assertThat(r.snapshots()).hasSize(2);
                assertThat(CliRun.run("status", "--repo", repo).out()).contains("GAP");

                docs.insertOne(new Document("_id", 200));
                String now = new ClusterClock(client).now().toString();
                Thread.sleep(1500);
                CliRun.Result restore = CliRun.run("restore", "--repo", repo, "--uri", uri, "--at", now,
                        "--ns-from", "hist.*", "--ns-to", "hist_after.*");
                assertThat(restore.exitCode()).as(restore.toString()).isZero();
                assertThat(client.getDatabase("hist_after").getCollection("docs").find().sort(new Document("_id", 1))
                        .batchSize(100).into(new ArrayList<>()))
                        .isEqualTo(docs.find().sort(new Document("_id", 1)).batchSize(100).into(new ArrayList<>()));
            }
        }
    }
}
