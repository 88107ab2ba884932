package dev.rewind.cli;

import dev.rewind.ExitCode;
import dev.rewind.check.Catalog;
import dev.rewind.check.DanglingRef;
import dev.rewind.check.Namespace;
import dev.rewind.check.ReferenceCheck;
import dev.rewind.check.ReferenceInference;
import dev.rewind.check.ReferenceRule;
import dev.rewind.check.RefsFile;
import dev.rewind.check.RefsReport;
import dev.rewind.check.RuleResult;
import dev.rewind.mongo.Connection;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "refs", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Report every dangling reference in a database: a value that names the _id of a document that does not exist.",
                "",
                "The reference fields come from a refs file (--refs), or are inferred by sampling: DBRef fields, and fields "
                        + "whose ObjectId, UUID or string values are mostly _ids of one collection. "
                        + "--write-refs saves the inferred rules to review and edit, and exits without checking.",
                "Paths use dot notation with arrays transparent (owner.familyId, memberIds); reports give each dangling "
                        + "value's exact place (memberIds.2).",
                "Streams each source collection once and asks the targets for 1,000 ids at a time, so memory stays "
                        + "bounded. Only reads.",
                "",
                "Exit codes: 0 no dangling reference, 11 dangling references found, 8 unknown database, collection, "
                        + "field or file, 2 a refs file that does not parse."},
        footer = {"", "Examples:",
                "  rewind check refs --uri mongodb://localhost/ --db famigo",
                "  rewind check refs --uri mongodb://localhost/ --db famigo --write-refs refs.json",
                "  rewind check refs --uri mongodb://localhost/ --db famigo --refs refs.json --json"})
final class CheckRefsCommand implements Callable<Integer> {
    @Mixin Common common;
    @Spec CommandSpec spec;

    @Option(names = "--uri", paramLabel = "URI", description = "MongoDB connection string. Default: $REWIND_URI, or \"uri\" in the config file.")
    String uri;

    @Option(names = "--db", required = true, paramLabel = "DB", description = "The database to check.")
    String db;

    @Option(names = "--refs", paramLabel = "FILE",
            description = "Check the rules declared in FILE instead of inferring them (format: docs/check.md).")
    Path refs;

    @Option(names = "--write-refs", paramLabel = "FILE",
            description = "Infer the rules, write them to FILE as a starting point, and exit without checking.")
    Path writeRefs;

    @Option(names = "--sample", paramLabel = "N", defaultValue = "1000",
            description = "Documents sampled per collection to infer rules. Default: ${DEFAULT-VALUE}.")
    int sample;

    @Option(names = "--show", paramLabel = "N", defaultValue = "10",
            description = "Dangling references listed per rule (all are counted). Default: ${DEFAULT-VALUE}.")
    int show;

    @Override
    public Integer call() {
        uri = common.settings().uri(uri);
        if (refs != null && writeRefs != null) {
            throw dev.rewind.RewindException.usage("--refs and --write-refs cannot be used together",
                    "use --write-refs to create a refs file, then --refs to check with it");
        }
        List<ReferenceRule> declared = refs == null ? null : RefsFile.read(refs, db);
        try (Connection connection = Connection.open(uri)) {
            Catalog catalog = new Catalog(connection.client());
            catalog.requireDatabase(db);
            PrintWriter out = spec.commandLine().getOut();
            List<ReferenceRule> rules;
            if (declared != null) {
                validate(catalog, declared);
                rules = declared;
            } else {
                rules = new ReferenceInference(connection.client().getDatabase(db)).sampleSize(sample).infer();
            }
            if (writeRefs != null) {
                RefsFile.write(writeRefs, rules);
                printWritten(out, rules);
                return ExitCode.OK.code();
            }
            String from = refs == null ? "inferred" : refs.toString();
            RefsReport report = new ReferenceCheck(connection.client()).samples(show).run(db, from, rules);
            if (common.json) {
                out.println(TextTable.json(report.toBson()));
            } else {
                print(out, report);
            }
            out.flush();
            return report.clean() ? ExitCode.OK.code() : ExitCode.PROBLEMS_FOUND.code();
        }
    }

    private static void validate(Catalog catalog, List<ReferenceRule> rules) {
        Set<Namespace> checked = new LinkedHashSet<>();
        for (ReferenceRule r : rules) {
            if (checked.add(r.source())) {
                catalog.requireCollection(r.source());
            }
            if (r.target() != null && checked.add(r.target())) {
                catalog.requireCollection(r.target());
            }
            catalog.requireField(r.source(), r.path());
        }
    }

    private void printWritten(PrintWriter out, List<ReferenceRule> rules) {
        if (common.json) {
            BsonArray list = new BsonArray();
            rules.forEach(r -> list.add(new BsonString(r.describe())));
            out.println(TextTable.json(new BsonDocument("wrote", new BsonString(writeRefs.toString())).append("rules", list)));
        } else {
            out.println("Wrote " + Units.plural(rules.size(), "inferred reference rule")
                    + " to " + writeRefs + ":");
            rules.forEach(r -> out.println("  " + r.describe() + (r.note() == null ? "" : "   (" + r.note() + ")")));
            out.println("Review and edit it, then run: rewind check refs --uri URI --db " + db + " --refs " + writeRefs);
        }
        out.flush();
    }

    private static void print(PrintWriter out, RefsReport report) {
        out.println("Reference check of " + report.db() + " ("
                + ("inferred".equals(report.rulesFrom()) ? "rules inferred by sampling; save them with --write-refs"
                : "rules from " + report.rulesFrom()) + ")");
        out.println();
        if (report.results().isEmpty()) {
            out.println("No reference fields " + ("inferred".equals(report.rulesFrom()) ? "found" : "declared")
                    + "; nothing to check. Declare them in a refs file (see docs/check.md).");
            return;
        }
        TextTable table = new TextTable("RULE", "DOCUMENTS", "REFERENCES", "DANGLING", "IN DOCUMENTS", "MISSING TARGETS");
        for (RuleResult r : report.results()) {
            table.row(r.rule().describe(), r.documents(), r.references(), r.dangling(), r.documentsWithDangling(),
                    r.missingTargets() + (r.missingTargetsCapped() ? "+" : ""));
        }
        table.print(out, "");
        for (RuleResult r : report.results()) {
            if (r.clean()) {
                continue;
            }
            out.println();
            out.println(r.rule().describe() + ": " + Units.plural(r.dangling(), "dangling reference")
                    + (r.samples().size() < r.dangling() ? " (first " + r.samples().size() + " shown)" : ""));
            TextTable samples = new TextTable("SOURCE _ID", "PLACE", "MISSING", "IN");
            for (DanglingRef d : r.samples()) {
                samples.row(TextTable.value(d.sourceId()), d.place(), TextTable.value(d.missing()), d.target());
            }
            samples.print(out, "  ");
        }
        out.println();
        out.println(report.clean() ? "No dangling references among " + Units.count(report.references()) + " checked."
                : Units.plural(report.dangling(), "dangling reference") + " among " + Units.count(report.references()) + " checked.");
    }
}
