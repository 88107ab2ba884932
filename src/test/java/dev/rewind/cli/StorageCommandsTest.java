package dev.rewind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import dev.rewind.ExitCode;
import dev.rewind.SampleData;
import dev.rewind.repo.store.LocalStore;
import dev.rewind.repo.store.S3Location;
import dev.rewind.repo.store.S3Server;
import dev.rewind.repo.store.S3Store;
import dev.rewind.sandbox.Sandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** init --encrypt, key, forget, prune and copy through the command line, on a folder and on S3. */
class StorageCommandsTest {
    static Sandbox sandbox;
    static MongoClient client;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.inMemory();
        client = MongoClients.create(sandbox.uri());
        SampleData.load(client.getDatabase("famigo"), 2000, 1);
    }

    @AfterAll
    static void stop() {
        client.close();
        sandbox.close();
    }

    static CliRun.Result ok(String... args) {
        CliRun.Result r = CliRun.run(args);
        assertThat(r.exitCode()).as("%s\n%s", String.join(" ", args), r).isZero();
        return r;
    }

    Path file(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    @Test
    void anEncryptedRepositoryOnS3WorksWithEveryCommandAndAWrongPasswordWritesNothing() throws IOException {
        String repo = S3Server.get().newLocation();
        String pw = file("pw", "correct horse battery staple\n").toString();
        String pw2 = file("pw2", "second password\n").toString();
        String wrong = file("wrong", "incorrect horse\n").toString();
        ok("init", "--repo", repo, "--encrypt", "--password-file", pw);
        ok("snapshot", "--uri", sandbox.uri(), "--repo", repo, "--password-file", pw, "--ns", "famigo.*");
        assertThat(ok("snapshots", "--repo", repo, "--password-file", pw).out()).contains("famigo");
        ok("verify", "--repo", repo, "--password-file", pw, "--read-data");
        ok("restore", "--repo", repo, "--password-file", pw, "--uri", sandbox.uri(), "--ns-from", "famigo.*",
                "--ns-to", "famigo_enc.*");
        assertThat(client.getDatabase("famigo_enc").getCollection("family").countDocuments()).isEqualTo(2000);

        S3Location where = S3Location.parse(repo);
        S3Store raw = S3Store.open(where);
        List<String> objects = raw.list("objects/");
        assertThat(objects).isNotEmpty();
        for (String o : objects.subList(0, Math.min(5, objects.size()))) {
            byte[] stored = raw.get(o);
            assertThat(stored[6]).as("cipher byte of " + o).isEqualTo((byte) 1);
            assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("family");
        }

        List<String> before = everything(raw);
        CliRun.Result bad = CliRun.run("snapshot", "--uri", sandbox.uri(), "--repo", repo, "--password-file", wrong);
        assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(ExitCode.WRONG_KEY.code());
        assertThat(bad.err()).contains("wrong password").contains("hint:").doesNotContain("incorrect horse");
        CliRun.Result none = CliRun.run("snapshots", "--repo", repo);
        if (System.getenv("REWIND_PASSWORD") == null) {
            assertThat(none.exitCode()).as(none.toString()).isEqualTo(ExitCode.WRONG_KEY.code());
            assertThat(none.err()).contains("REWIND_PASSWORD");
        }
        assertThat(everything(raw)).as("a refused password writes nothing").isEqualTo(before);

        ok("key", "add", "--repo", repo, "--password-file", pw, "--new-password-file", pw2);
        String list = ok("key", "list", "--repo", repo, "--password-file", pw2).out();
        Matcher first = Pattern.compile("(?m)^([0-9a-f]{8}) .*password\\s*$").matcher(list);
        assertThat(first.find()).as(list).isTrue();
        assertThat(list).contains("(opened this time)");
        CliRun.Result self = CliRun.run("key", "remove", "--repo", repo, "--password-file", pw2,
                idOpenedBy(list));
        assertThat(self.exitCode()).as(self.toString()).isEqualTo(ExitCode.REFUSED.code());
        ok("key", "remove", "--repo", repo, "--password-file", pw2, first.group(1));
        assertThat(CliRun.run("snapshots", "--repo", repo, "--password-file", pw).exitCode()).isEqualTo(ExitCode.WRONG_KEY.code());
        ok("verify", "--repo", repo, "--password-file", pw2);
    }

    private static String idOpenedBy(String list) {
        Matcher m = Pattern.compile("(?m)^([0-9a-f]{8}) .*\\(opened this time\\)").matcher(list);
        assertThat(m.find()).as(list).isTrue();
        return m.group(1);
    }

    private static List<String> everything(S3Store raw) throws IOException {
        List<String> out = new ArrayList<>();
        raw.listSizes("").forEach((k, v) -> out.add(k + " " + v));
        return out;
    }

    @Test
    void forgetAndPruneDeleteOnlyWhatNoKeptSnapshotNeeds() throws IOException {
        String repo = tmp.resolve("repo").toString();
        ok("init", "--repo", repo);
        ok("snapshot", "--uri", sandbox.uri(), "--repo", repo, "--ns", "famigo.*");
        client.getDatabase("famigo").getCollection("scratch").insertOne(new org.bson.Document("_id", 1).append("x", "y".repeat(5000)));
        ok("snapshot", "--uri", sandbox.uri(), "--repo", repo, "--ns", "famigo.*");
        client.getDatabase("famigo").getCollection("scratch").deleteOne(Filters.eq("_id", 1));
        ok("snapshot", "--uri", sandbox.uri(), "--repo", repo, "--ns", "famigo.*");
        LocalStore store = new LocalStore(Path.of(repo));
        int objects = store.list("objects/").size();

        CliRun.Result none = CliRun.run("forget", "--repo", repo);
        assertThat(none.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(none.err()).contains("hint:");

        String dry = ok("forget", "--repo", repo, "--keep-last", "1", "--dry-run").out();
        assertThat(dry).contains("would forget 2 snapshot(s)");
        assertThat(store.list("snapshots/")).hasSize(3);
        assertThat(ok("forget", "--repo", repo, "--keep-last", "1").out()).contains("forgot 2 snapshot(s)");
        assertThat(store.list("snapshots/")).hasSize(1);

        String plan = ok("prune", "--repo", repo, "--dry-run").out();
        assertThat(plan).contains("would delete objects/").containsPattern("would delete 1 object\\(s\\) \\(\\d");
        assertThat(store.list("objects/")).as("a dry run deletes nothing").hasSize(objects);
        assertThat(ok("prune", "--repo", repo).out()).contains("deleted 1 object(s)");
        assertThat(store.list("objects/")).hasSize(objects - 1);
        ok("verify", "--repo", repo, "--read-data");
        assertThat(ok("prune", "--repo", repo).out()).contains("deleted 0 object(s)");
        ok("restore", "--repo", repo, "--uri", sandbox.uri(), "--ns-from", "famigo.*", "--ns-to", "famigo_pruned.*");
        assertThat(client.getDatabase("famigo_pruned").getCollection("family").countDocuments()).isEqualTo(2000);
    }

    @Test
    void copyToS3MovesOnlyTheMissingFilesAndTheCopyRestores() {
        String local = tmp.resolve("local").toString();
        String remote = S3Server.get().newLocation();
        ok("init", "--repo", local);
        ok("snapshot", "--uri", sandbox.uri(), "--repo", local, "--ns", "famigo.*");
        assertThat(ok("copy", "--from", local, "--to", remote).out()).startsWith("created the copy; copied ");
        assertThat(ok("copy", "--from", local, "--to", remote).out()).startsWith("copied 0 file(s)");
        Object id = client.getDatabase("famigo").getCollection("family").find().first().get("_id");
        client.getDatabase("famigo").getCollection("family").updateOne(Filters.eq("_id", id),
                new org.bson.Document("$set", new org.bson.Document("plan", "copied")));
        ok("snapshot", "--uri", sandbox.uri(), "--repo", local, "--ns", "famigo.*");
        String again = ok("copy", "--from", local, "--to", remote).out();
        assertThat(again).matches("(?s)copied [1-9]\\d? file\\(s\\).*");
        ok("verify", "--repo", remote, "--read-data");
        ok("restore", "--repo", remote, "--uri", sandbox.uri(), "--ns-from", "famigo.*", "--ns-to", "famigo_copy.*");
        assertThat(client.getDatabase("famigo_copy").getCollection("family").find(Filters.eq("_id", id)).first().getString("plan"))
                .isEqualTo("copied");

        CliRun.Result foreign = CliRun.run("copy", "--from", local, "--to", tmp.resolve("other").toString());
        assertThat(foreign.exitCode()).isZero();
    }

    @Test
    void badS3LocationsAreRefusedWithAHint() throws IOException {
        CliRun.Result bucket = CliRun.run("snapshots", "--repo", "s3://Not_A_Bucket/x");
        assertThat(bucket.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(bucket.err()).contains("not an S3 bucket name").contains("hint:");
        CliRun.Result missing = CliRun.run("snapshots", "--repo", "s3://no-such-bucket/x", "--s3-endpoint", S3Server.get().endpoint());
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCode.IO.code());
        assertThat(missing.err()).contains("no bucket 'no-such-bucket'").contains("hint: create the bucket");
        CliRun.Result param = CliRun.run("snapshots", "--repo", "s3://bucket-x/p?colour=red");
        assertThat(param.exitCode()).isEqualTo(ExitCode.USAGE.code());
        String occupied = S3Server.get().newLocation();
        S3Store.open(S3Location.parse(occupied)).put("someone/else", new byte[] {1});
        CliRun.Result init = CliRun.run("init", "--repo", occupied);
        assertThat(init.exitCode()).as(init.toString()).isEqualTo(ExitCode.REFUSED.code());
        assertThat(init.err()).contains("is not empty").contains("hint:");
    }
}
