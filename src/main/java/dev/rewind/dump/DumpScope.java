package dev.rewind.dump;

import dev.rewind.NamespacePattern;
import dev.rewind.RewindException;
import java.util.List;

/** Which collections of a dump a command works on: those matching the patterns (all if none). */
final class DumpScope {
    private DumpScope() { }

    static List<CollectionMetadata> select(DumpReader dump, List<NamespacePattern> patterns) {
        List<CollectionMetadata> chosen = dump.collections().stream()
                .filter(c -> NamespacePattern.anyMatches(patterns, c.ns())).toList();
        if (chosen.isEmpty()) {
            throw nothingMatches(dump, patterns);
        }
        return chosen;
    }

    /** The error for patterns that match nothing in the dump: names what it holds (a dump of another database?). */
    static RewindException nothingMatches(DumpReader dump, List<NamespacePattern> patterns) {
        List<String> all = dump.collections().stream().map(CollectionMetadata::ns).toList();
        return RewindException.notFound("the " + dump.description() + " holds nothing that matches " + patterns
                        + (all.isEmpty() ? "" : ": it is a dump of " + String.join(", ", all.stream()
                        .map(n -> n.substring(0, n.indexOf('.'))).distinct().toList())),
                "it holds " + String.join(", ", all.subList(0, Math.min(20, all.size()))) + (all.size() > 20 ? ", ..." : "")
                        + "; check --ns, or that this is the dump you meant");
    }
}
