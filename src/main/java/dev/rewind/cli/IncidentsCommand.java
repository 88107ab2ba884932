package dev.rewind.cli;

import dev.rewind.detect.Incident;
import dev.rewind.detect.IncidentStore;
import dev.rewind.repo.Repository;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bson.BsonValue;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "incidents", mixinStandardHelpOptions = true,
        description = {"List the incidents the detector recorded during capture: id, status, rule, namespaces,",
                "window (UTC), counts, sample _ids and the command that undoes each."})
final class IncidentsCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin RepoOptions repoOptions;
    @Spec CommandSpec spec;

    @Option(names = "--repo", required = true, paramLabel = "DIR", description = "The repository.")
    String repo;

    @Override
    public Integer call() {
        Repository r = repoOptions.open(repo);
        List<Incident> all = new IncidentStore(r.store()).all();
        PrintWriter out = spec.commandLine().getOut();
        if (common.json) {
            List<Document> docs = new ArrayList<>();
            all.forEach(i -> docs.add(i.toDocument()));
            out.println(new Document("incidents", docs).toJson());
            return 0;
        }
        if (all.isEmpty()) {
            out.println("no incidents in " + r.location());
            return 0;
        }
        for (Incident i : all) {
            out.printf("incident %d  %s  %s (%s)  %s%n", i.id(), i.status().toUpperCase(), i.rule(), i.severity(),
                    String.join(", ", i.namespaces()));
            out.printf("  window   %s .. %s UTC  (%s .. %s)%n", wall(i.firstAt().seconds()), wall(i.lastAt().seconds()),
                    i.firstAt(), i.lastAt());
            out.printf("  counts   %s%n", i.describeCounts());
            List<String> ids = new ArrayList<>();
            for (BsonValue v : i.samples()) {
                ids.add(idText(v));
            }
            if (!ids.isEmpty()) {
                out.printf("  samples  %s%n", String.join(", ", ids));
            }
            if (!i.clients().isEmpty()) {
                out.printf("  clients  %s%n", String.join("; ", i.clients()));
            }
            out.printf("  undo     %s%n", i.undoCommand());
        }
        return 0;
    }

    private static String wall(long seconds) {
        return java.time.Instant.ofEpochSecond(seconds).toString().replace('T', ' ').replace("Z", "");
    }

    private static String idText(BsonValue v) {
        if (v.isObjectId()) {
            return v.asObjectId().getValue().toHexString();
        }
        if (v.isString()) {
            return '"' + v.asString().getValue() + '"';
        }
        return new org.bson.BsonDocument("v", v).toJson().replaceFirst("^\\{\"v\": ", "").replaceFirst("}$", "");
    }
}
