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
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server no longer has what capture needs to resume: the file-backed sandbox forgets the
 * pre- and post-images of its writes when it restarts, and a change stream that reaches such an
 * update fails with ChangeStreamHistoryLost (286), as mongod does once its oplog rolled over.
 * Capture must record the gap as data, say so, take a new snapshot, and go on.
 */
class CaptureHistoryLostTest {
    @TempDir
    Path tmp;

    @Test
    void aLostResumePointIsRecordedAsAGapAndANewSnapshotOpensANewWindow() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path data = tmp.resolve("data");
        String uri = "mongodb://127.0.0.1:" + port + "/";
        String repo = tmp.resolve("repo").toString();
        assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
        Repository r = Repositories.open(repo);

        Sandbox sandbox = Sandbox.start("127.0.0.1", port, data);
        try (MongoClient client = MongoClients.create(uri)) {
            MongoCollection<Document> docs = client.getDatabase("hist").getCollection("docs");
            for (int i = 0; i < 20; i++) {
                docs.insertOne(new Document("_id", i).append("n", i));
            }
            try (CaptureRun capture = CaptureRun.start(r, client, uri, "hist.*")) {
                docs.insertOne(new Document("_id", 100));
                Thread.sleep(1500);
            }
            docs.updateOne(Filters.eq("_id", 3), Updates.set("n", -3));   // while capture is stopped
        }
        sandbox.close();
        sandbox = Sandbox.start("127.0.0.1", port, data);                  // its images of that update are gone
        try (MongoClient client = MongoClients.create(uri)) {
            MongoCollection<Document> docs = client.getDatabase("hist").getCollection("docs");
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
        } finally {
            sandbox.close();
        }
    }

}
