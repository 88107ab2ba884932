package dev.rewind.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rewind.ExitCode;
import dev.rewind.cli.CliRun;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.EventFormat;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.repo.Segment;
import dev.rewind.repo.SegmentName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 4: verify checks every file kind — segments (flipped, truncated, zeroed, a header
 * that disagrees with its name, an event that is not well-formed), the chain (overlaps), journals,
 * incidents — and status shows what verify found.
 */
class VerifyEveryFileTest {
    @TempDir
    Path tmp;

    private static CliRun.Result verify(CapturedShop shop, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("verify", "--repo", shop.repo));
        args.addAll(List.of(more));
        return CliRun.run(args.toArray(String[]::new));
    }

    /** The cluster time one increment after {@code t}. */
    private static ClusterTime justAfter(ClusterTime t) {
        return ClusterTime.of(t.seconds(), t.increment() + 1L);
    }

    /** A segment that has a cluster time strictly inside its range, so another can start or end there. */
    private static boolean roomy(SegmentName s) {
        return justAfter(s.from()).isBefore(s.to());
    }

    @Test
    void verifyReadsTheLogJournalsAndIncidentsAndStatusShowsWhatItFound() throws Exception {
        try (CapturedShop shop = new CapturedShop(tmp)) {
            CliRun.Result undo = CliRun.run("undo", "--repo", shop.repo, "--uri", shop.sandbox.uri(), "--ns", "shop.orders",
                    "--from", shop.afterFirst.toString(), "--to", shop.afterSecond.toString(), "--apply");
            assertThat(undo.exitCode()).as(undo.toString()).isZero();
            CliRun.Result clean = verify(shop, "--read-data");
            assertThat(clean.exitCode()).as(clean.toString()).isZero();
            assertThat(clean.out()).contains("no problems found");

            Repository r = Repositories.open(shop.repo);
            List<SegmentName> segments = r.segmentNames();
            assertThat(segments.size()).isGreaterThanOrEqualTo(5);
            // a flipped byte, a truncated and a zeroed segment, in the middle of the window
            Path flipped = shop.file(segments.get(1).name());
            byte[] b = Files.readAllBytes(flipped);
            b[b.length - 1] ^= 1;
            Files.write(flipped, b);
            Path truncated = shop.file(segments.get(2).name());
            Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(truncated), 20));
            Path zeroed = shop.file(segments.get(3).name());
            Files.write(zeroed, new byte[(int) Files.size(zeroed)]);
            // a segment whose header says another span than its name
            SegmentName last = segments.get(segments.size() - 1);
            SegmentName misnamed = new SegmentName(last.to(), ClusterTime.of(last.to().seconds() + 5, 0));
            Files.copy(shop.file(last.name()), shop.file(misnamed.name()));
            // a second chain overlapping the first, as a second capture would write it (starting inside one segment and
            // ending inside the next, so neither lies inside the other), with an event short of its shape
            // the first two segments span the sleeps around the second snapshot, so each has room inside it
            int pair = 0;
            assertThat(roomy(segments.get(0)) && roomy(segments.get(1))).as(segments.toString()).isTrue();
            SegmentName overlapping = new SegmentName(justAfter(segments.get(pair).from()), justAfter(segments.get(pair + 1).from()));
            BsonDocument bare = new BsonDocument("v", new org.bson.BsonInt32(1)).append("op", new org.bson.BsonString("insert"))
                    .append("t", new BsonTimestamp((int) overlapping.to().seconds(), (int) overlapping.to().increment()))
                    .append("ns", new org.bson.BsonString("shop.orders")).append("key", BsonDocument.parse("{_id: 5}"));
            r.saveSegment(new Segment(overlapping, "deployment", new BsonDocument(), List.of(EventFormat.read(bare))));
            // a segment inside another holding an event the other lacks: not a part an interrupted prune left
            SegmentName outer = segments.get(0);
            SegmentName inner = new SegmentName(outer.from(), justAfter(outer.from()));
            BsonDocument stray = bare.clone().append("fullDocument", BsonDocument.parse("{_id: 6}"));
            stray.put("t", new BsonTimestamp((int) inner.to().seconds(), (int) inner.to().increment()));
            stray.put("key", BsonDocument.parse("{_id: 6}"));
            r.saveSegment(new Segment(inner, "deployment", new BsonDocument(), List.of(EventFormat.read(stray))));
            // a journal batch flipped, an incident that is not one, a stray file
            String journal = Files.list(shop.file("journals")).findFirst().orElseThrow().getFileName().toString();
            Path batch = shop.file("journals/" + journal + "/000001");
            byte[] jb = Files.readAllBytes(batch);
            jb[jb.length - 2] ^= 1;
            Files.write(batch, jb);
            Files.createDirectories(shop.file("incidents/000009"));
            Files.write(shop.file("incidents/000009/000001"), dev.rewind.repo.StoredFile.encode("{\"kind\": 3}".getBytes(), false));
            Files.writeString(shop.file("incidents/junk"), "x");

            CliRun.Result names = verify(shop);
            assertThat(names.exitCode()).as(names.toString()).isEqualTo(ExitCode.CORRUPT.code());
            assertThat(names.out()).as("the names alone tell the overlap and the stray files")
                    .contains(": overlaps segments/").contains(overlapping.name())
                    .contains("incidents/junk").contains("incidents/000009/000001");

            CliRun.Result all = verify(shop, "--read-data", "--json");
            assertThat(all.exitCode()).as(all.toString()).isEqualTo(ExitCode.CORRUPT.code());
            List<Document> problems = Document.parse(all.out()).getList("problems", Document.class);
            assertThat(problems).extracting(p -> p.getString("file")).contains(segments.get(1).name(), segments.get(2).name(),
                    segments.get(3).name(), misnamed.name(), overlapping.name(), "journals/" + journal + "/000001",
                    "incidents/000009/000001", "incidents/junk");
            assertThat(problems).filteredOn(p -> p.getString("file").equals(inner.name()))
                    .extracting(p -> p.getString("reason")).singleElement().asString()
                    .contains("overlaps " + outer.name()).contains("lacks its event");
            assertThat(names.out()).as("without reading, a segment inside another is a note\n" + names.out())
                    .contains(inner.name() + " lies inside " + outer.name());
            assertThat(problems).filteredOn(p -> p.getString("file").equals(segments.get(1).name()))
                    .extracting(p -> p.getString("reason")).as("the second chain overlaps it too")
                    .anySatisfy(reason -> assertThat(reason).contains("checksum mismatch"));
            assertThat(problems).filteredOn(p -> p.getString("file").equals(misnamed.name()))
                    .extracting(p -> p.getString("reason")).singleElement().asString().contains("its name says otherwise");
            assertThat(problems).filteredOn(p -> p.getString("file").equals(overlapping.name()))
                    .extracting(p -> p.getString("reason")).anySatisfy(reason ->
                            assertThat(reason).contains("not well-formed").contains("without fullDocument"));

            CliRun.Result status = CliRun.run("status", "--repo", shop.repo);
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.out()).contains("OVERLAP").contains("DAMAGED      " + segments.get(1).name())
                    .contains("damaged segment");
            Document json = Document.parse(CliRun.run("status", "--repo", shop.repo, "--json").out());
            assertThat(json.getList("windows", Document.class)).as("no window runs across the damaged segments").isNotEmpty()
                    .noneSatisfy(w -> assertThat(ClusterTime.parse(w.getString("from")).isBefore(segments.get(1).to())
                            && ClusterTime.parse(w.getString("to")).isAfter(segments.get(3).from())).isTrue());
            assertThat(json.getList("overlaps", Document.class)).as("the second chain overlaps the segment it starts in and the next")
                    .hasSize(2);
        }
    }
}
