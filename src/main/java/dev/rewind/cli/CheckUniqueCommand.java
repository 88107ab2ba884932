package dev.rewind.cli;

import dev.rewind.ExitCode;
import dev.rewind.check.Catalog;
import dev.rewind.check.DuplicateGroup;
import dev.rewind.check.Namespace;
import dev.rewind.check.UniqueCheck;
import dev.rewind.check.UniqueReport;
import dev.rewind.mongo.Connection;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "unique", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Report groups of documents that share a value that should be unique (one field, or a compound "
                + "of fields), whether a unique index exists on exactly those fields, and the command that creates one "
                + "once the duplicates are resolved.",
                "",
                "Documents that have none of the fields are counted, not grouped. With --ignore-case strings are "
                        + "compared lower-cased and trimmed (for emails). Groups on the server with $group when it "
                        + "can, otherwise streams in bounded memory. Only reads.",
                "",
                "Exit codes: 0 no duplicates, 11 duplicates found, 8 unknown namespace or field."},
        footer = {"", "Examples:",
                "  rewind check unique --uri mongodb://localhost/ --ns famigo.family --field email --ignore-case",
                "  rewind check unique --uri mongodb://localhost/ --ns famigo.child --field familyId --field name --json"})
final class CheckUniqueCommand implements Callable<Integer> {
    @Mixin Common common;
    @Spec CommandSpec spec;

    @Option(names = "--uri", paramLabel = "URI", description = "MongoDB connection string. Default: $REWIND_URI, or \"uri\" in the config file.")
    String uri;

    @Option(names = "--ns", required = true, paramLabel = "DB.COLLECTION", description = "The collection to check.")
    String ns;

    @Option(names = "--field", required = true, paramLabel = "PATH",
            description = "A field that should be unique (dot notation). Repeat for a compound: --field a --field b.")
    List<String> fields = new ArrayList<>();

    @Option(names = {"--ignore-case", "--normalize"},
            description = "Compare strings lower-cased and without surrounding spaces.")
    boolean ignoreCase;

    @Option(names = "--show", paramLabel = "N", defaultValue = "20",
            description = "Groups listed, largest first (all are counted). Default: ${DEFAULT-VALUE}.")
    int show;

    @Override
    public Integer call() {
        uri = common.settings().uri(uri);
        Namespace namespace = Namespace.parse(ns, null);
        try (Connection connection = Connection.open(uri)) {
            Catalog catalog = new Catalog(connection.client());
            catalog.requireCollection(namespace);
            for (String f : fields) {
                catalog.requireField(namespace, f);
            }
            UniqueReport report = new UniqueCheck(connection.client()).groupsShown(show)
                    .run(namespace, fields, ignoreCase);
            PrintWriter out = spec.commandLine().getOut();
            if (common.json) {
                out.println(TextTable.json(report.toBson()));
            } else {
                print(out, report);
            }
            out.flush();
            return report.clean() ? ExitCode.OK.code() : ExitCode.PROBLEMS_FOUND.code();
        }
    }

    private static void print(PrintWriter out, UniqueReport report) {
        String what = String.join(" + ", report.fields());
        out.println("Uniqueness of " + what + " in " + report.ns()
                + (report.normalized() ? " (ignoring case and surrounding spaces)" : "") + " [" + report.method() + "]");
        out.println();
        if (report.clean()) {
            out.println("No duplicates: every document has its own " + what + ".");
        } else {
            out.println(Units.plural(report.groups(), "value") + (report.groups() == 1 ? " is" : " are") + " shared by "
                    + Units.plural(report.duplicateDocuments(), "document")
                    + (report.shown().size() < report.groups() ? " (largest " + report.shown().size() + " shown)" : "")
                    + ":");
            List<String> header = new ArrayList<>(List.of("COUNT"));
            report.fields().forEach(f -> header.add(f.toUpperCase(java.util.Locale.ROOT)));
            header.add("_IDS");
            TextTable table = new TextTable(header.toArray(String[]::new));
            for (DuplicateGroup g : report.shown()) {
                List<Object> row = new ArrayList<>();
                row.add(g.count());
                g.values().forEach(v -> row.add(TextTable.value(v)));
                List<String> ids = new ArrayList<>();
                g.ids().forEach(id -> ids.add(TextTable.value(id)));
                row.add(String.join(", ", ids) + (g.ids().size() < g.count() ? ", ..." : ""));
                table.row(row.toArray());
            }
            table.print(out, "  ");
        }
        out.println();
        if (report.withoutFields() > 0) {
            out.println(report.withoutFields() + " document" + (report.withoutFields() == 1 ? " has" : "s have")
                    + " no " + what + " (not grouped; a sparse index skips them).");
        }
        if (report.uniqueIndex() != null) {
            out.println("Unique index: " + report.uniqueIndex() + ".");
        } else {
            out.println("Unique index: none. " + (report.clean() ? "Create it with:" : "Once the duplicates are resolved, create it with:"));
            out.println("  " + report.createIndex());
        }
    }
}
