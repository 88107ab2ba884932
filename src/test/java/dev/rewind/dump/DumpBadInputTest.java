package dev.rewind.dump;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import dev.rewind.cli.CliRun;
import dev.rewind.sandbox.Sandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged or wrong dumps give one clear error with a hint and a documented exit code, and write
 * nothing: no snapshot or object in the repository, no document in the live database, no repository
 * beside the dump; and an export never writes over what exists, and leaves nothing when it fails
 * half-way. The dumps are Rewind's own exports (the format mongorestore reads, proven in
 * {@link ExportToMongorestoreTest}), damaged as a disk, a copy or a person would damage them.
 */
class DumpBadInputTest {
    @TempDir
    static Path tmp;
    static Sandbox sandbox;
    static MongoClient client;
    static String repo;

    @BeforeAll
    static void exports() {
        sandbox = Sandbox.inMemory();
        client = MongoClients.create(sandbox.uri());
        DumpData.write(client, "famigo", 300);
        DumpData.write(client, "shop", 10);
        repo = tmp.resolve("repo").toString();
        assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
        assertThat(CliRun.run("snapshot", "--repo", repo, "--uri", sandbox.uri()).exitCode()).isZero();
        for (String[] form : List.of(new String[] {"--dump", "dir"}, new String[] {"--archive", "famigo.archive"},
                new String[] {"--archive", "famigo.archive.gz", "--gzip"})) {
            CliRun.Result r = CliRun.run(concat(new String[] {"export", "--repo", repo, "--ns", "famigo.*", form[0],
                    tmp.resolve(form[1]).toString()}, form.length > 2 ? new String[] {form[2]} : new String[0]));
            assertThat(r.exitCode()).as(r.toString()).isZero();
        }
        assertThat(CliRun.run("export", "--repo", repo, "--ns", "shop.*", "--dump", tmp.resolve("shop").toString()).exitCode()).isZero();
        client.getDatabase("famigo").getCollection("family").deleteMany(Filters.lt("_id", 100));
    }

    @AfterAll
    static void stop() {
        client.close();
        sandbox.close();
    }

    @Test
    void aTruncatedArchiveIsRefused() throws IOException {
        byte[] whole = Files.readAllBytes(tmp.resolve("famigo.archive"));
        Path cut = tmp.resolve("cut-in-a-document.archive");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        refused(List.of("--archive", cut.toString()), 6, "truncated");
        // cut where a block ends: every document whole, but the last namespace never ends
        Path atBlock = tmp.resolve("cut-at-a-block.archive");
        Files.write(atBlock, java.util.Arrays.copyOf(whole, lastEndBlock(whole)));
        refused(List.of("--archive", atBlock.toString()), 6, "ends before the end of");
        byte[] gz = Files.readAllBytes(tmp.resolve("famigo.archive.gz"));
        Path cutGz = tmp.resolve("cut.archive.gz");
        Files.write(cutGz, java.util.Arrays.copyOf(gz, gz.length - 100));
        refused(List.of("--archive", cutGz.toString(), "--gzip"), 6, "truncated");
    }

    @Test
    void aCorruptBsonFileIsRefusedNamingWhere() throws IOException {
        Path dir = copy("dir", "corrupt");
        Path bson = dir.resolve("famigo/family.bson");
        byte[] b = Files.readAllBytes(bson);
        int at = indexOf(b, "family 150".getBytes(StandardCharsets.UTF_8));
        b[at - 10] = 0x77;  // the type byte of the "name" element: no BSON type
        Files.write(bson, b);
        String err = refused(List.of("--dump", dir.toString()), 6, "family.bson is damaged at byte");
        assertThat(err).contains("malformed BSON");
    }

    @Test
    void anArchiveWhoseDocumentsChangedFailsItsChecksum() throws IOException {
        byte[] b = Files.readAllBytes(tmp.resolve("famigo.archive"));
        int at = indexOf(b, "family 150".getBytes(StandardCharsets.UTF_8));
        b[at] = 'F';  // still valid BSON: only the namespace's CRC-64 tells
        Path changed = tmp.resolve("changed.archive");
        Files.write(changed, b);
        refused(List.of("--archive", changed.toString()), 6, "checksum of famigo.family does not match");
    }

    @Test
    void aMissingMetadataFileIsRefused() throws IOException {
        Path dir = copy("dir", "nometa");
        Files.delete(dir.resolve("famigo/family.metadata.json"));
        refused(List.of("--dump", dir.toString()), 6, "family.metadata.json");
    }

    @Test
    void aDumpOfAnotherDatabaseIsRefusedNamingWhatItHolds() throws IOException {
        String err = refused(List.of("--dump", tmp.resolve("shop").toString()), 8, "it is a dump of shop");
        assertThat(err).contains("hint: it holds shop.");
    }

    @Test
    void somethingThatIsNoDumpIsRefused() throws IOException {
        Path text = tmp.resolve("notes.txt");
        Files.writeString(text, "not a dump");
        refused(List.of("--archive", text.toString()), 6, "is not a mongodump archive");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        refused(List.of("--dump", empty.toString()), 8, "holds no mongodump output");
    }

    @Test
    void exportNeverWritesOverWhatExists() throws IOException {
        byte[] archive = Files.readAllBytes(tmp.resolve("famigo.archive"));
        CliRun.Result overFile = CliRun.run("export", "--repo", repo, "--archive", tmp.resolve("famigo.archive").toString());
        assertThat(overFile.exitCode()).as(overFile.toString()).isEqualTo(10);
        assertThat(overFile.err()).contains("already exists").contains("hint: ");
        assertThat(Files.readAllBytes(tmp.resolve("famigo.archive"))).isEqualTo(archive);
        List<String> dir = files(tmp.resolve("dir"));
        CliRun.Result overDir = CliRun.run("export", "--repo", repo, "--dump", tmp.resolve("dir").toString());
        assertThat(overDir.exitCode()).as(overDir.toString()).isEqualTo(10);
        assertThat(files(tmp.resolve("dir"))).isEqualTo(dir);
    }

    @Test
    void anExportThatFailsHalfWayLeavesNothing() throws IOException {
        String damaged = tmp.resolve("damaged-repo").toString();
        assertThat(CliRun.run("init", "--repo", damaged).exitCode()).isZero();
        assertThat(CliRun.run("snapshot", "--repo", damaged, "--uri", sandbox.uri(), "--ns", "shop.*").exitCode()).isZero();
        List<Path> objects;
        try (Stream<Path> s = Files.walk(Path.of(damaged, "objects"))) {
            objects = s.filter(Files::isRegularFile).sorted().toList();
        }
        Files.delete(objects.get(objects.size() - 1));
        for (String form : List.of("--dump", "--archive")) {
            Path out = tmp.resolve("half" + form);
            CliRun.Result r = CliRun.run("export", "--repo", damaged, form, out.toString());
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(6);
            assertThat(out).doesNotExist();
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).as("no temporary output left").noneMatch(n -> n.contains(".rewind-"));
        }
    }

    /** Runs import and salvage --apply on a bad dump: both refuse with the code and message, and nothing is written. */
    private static String refused(List<String> dumpArgs, int code, String message) throws IOException {
        List<String> before = files(Path.of(repo));
        long live = client.getDatabase("famigo").getCollection("family").countDocuments();
        CliRun.Result imported = CliRun.run(concat(new String[] {"import", "--repo", repo, "--ns", "famigo.*"}, dumpArgs.toArray(String[]::new)));
        assertThat(imported.exitCode()).as(imported.toString()).isEqualTo(code);
        assertThat(imported.err()).as(imported.toString()).contains(message).contains("hint: ");
        assertThat(files(Path.of(repo))).as("the repository is unchanged").isEqualTo(before);
        CliRun.Result salvaged = CliRun.run(concat(new String[] {"salvage", "--uri", sandbox.uri(), "--ns", "famigo.family", "--apply"},
                dumpArgs.toArray(String[]::new)));
        assertThat(salvaged.exitCode()).as(salvaged.toString()).isEqualTo(code);
        assertThat(salvaged.err()).contains(message);
        assertThat(client.getDatabase("famigo").getCollection("family").countDocuments()).as("nothing written live").isEqualTo(live);
        Path dump = Path.of(dumpArgs.get(1));
        assertThat(dump.resolveSibling(dump.getFileName() + ".rewind")).as("no repository beside the dump").doesNotExist();
        return imported.err();
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .filter(n -> !n.startsWith("tmp/") && !n.startsWith("locks/")).sorted().toList();
        }
    }

    private static Path copy(String from, String to) throws IOException {
        Path src = tmp.resolve(from);
        Path dst = tmp.resolve(to);
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : s.toList()) {
                Path q = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
        return dst;
    }

    /** Where the last namespace's end block starts: its header holds "EOF": true (BSON 0x08 "EOF" 0x00 0x01). */
    private static int lastEndBlock(byte[] archive) {
        byte[] eofTrue = {0x08, 'E', 'O', 'F', 0, 1};
        int last = -1;
        for (int i = indexOf(archive, eofTrue, 0); i >= 0; i = indexOf(archive, eofTrue, i + 1)) {
            last = i;
        }
        // back to the header's start: its db field follows the 4-byte length
        int start = last;
        while (!(archive[start] == 0x02 && archive[start + 1] == 'd' && archive[start + 2] == 'b' && archive[start + 3] == 0)) {
            start--;
        }
        return start - 4;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        return indexOf(hay, needle, 0);
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

}
