package dev.rewind.cli;

import dev.rewind.HumanTime;
import dev.rewind.detect.Incident;
import dev.rewind.undo.Journals;
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
        description = {"List the incidents the detector recorded during capture: id, status, rule, namespaces, window"
                + " (UTC), counts, sample _ids and the command that undoes each; then Rewind's own writes (its journals),"
                + " which are never incidents."})
final class IncidentsCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin RepoOptions repoOptions;
    @Spec CommandSpec spec;

    @Option(names = "--repo", paramLabel = "DIR", description = "The repository. Default: $REWIND_REPO, or \"repo\" in the config file.")
    String repo;

    @Override
    public Integer call() {
        repo = common.settings().repo(repo);
        Repository r = DamageWarnings.open(repoOptions, repo, spec);
        List<Incident> all = new IncidentStore(r.store()).all();
        List<Journals.Summary> journals = Journals.list(r.store());
        PrintWriter out = spec.commandLine().getOut();
        if (common.json) {
            List<Document> docs = new ArrayList<>();
            all.forEach(i -> docs.add(i.toDocument()));
            List<Document> own = new ArrayList<>();
            journals.forEach(j -> own.add(new Document("journal", j.id()).append("command", JournalsCommand.what(j))
                    .append("started", j.started() == null ? null : j.started().toString())
                    .append("finished", j.finished() == null ? null : j.finished().toString())
                    .append("written", new Document(new java.util.LinkedHashMap<>(j.written())))));
            out.println(new Document("incidents", docs).append("rewindsOwnWrites", own).toJson());
            return 0;
        }
        if (all.isEmpty()) {
            out.println("no incidents in " + r.location());
        }
        for (Incident i : all) {
            out.printf("incident %d  %s  %s (%s)  %s%n", i.id(), i.status().toUpperCase(), i.rule(), i.severity(),
                    String.join(", ", i.namespaces()));
            out.printf("  window   %s .. %s  (%s .. %s)%n", HumanTime.ofSecond(i.firstAt().seconds()),
                    HumanTime.ofSecond(i.lastAt().seconds()), i.firstAt(), i.lastAt());
            out.printf("  counts   %s%n", i.describeCounts());
            List<String> ids = new ArrayList<>();
            for (BsonValue v : i.samples()) {
                ids.add(idText(v));
            }
            if (!ids.isEmpty()) {
                out.printf("  samples  %s%n", String.join(", ", ids));
            }
            if (!i.causes().isEmpty()) {
                out.printf("  how      %s%n", String.join("; ", i.causes()));
            }
            if (!i.clients().isEmpty()) {
                out.printf("  clients  %s%n", String.join("; ", i.clients()));
            }
            out.printf("  undo     %s%n", i.undoCommand());
        }
        if (!journals.isEmpty()) {
            out.println();
            out.println("Rewind's own writes (journaled by undo and revert; never an incident):");
            for (Journals.Summary j : journals) {
                out.printf("  journal %s  %s  %s  %s%n", j.id(), JournalsCommand.what(j), HumanTime.of(j.started()),
                        JournalsCommand.wrote(j));
            }
        }
        return 0;
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
