package dev.rewind.check;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonParseException;
import org.bson.json.JsonWriterSettings;

/**
 * The refs file: the reference rules a user declares or confirms (docs/check.md, "The refs file").
 *
 * <pre>
 * {
 *   "version": 1,
 *   "references": [
 *     {"source": "famigo.child",  "path": "familyId",       "target": "famigo.family"},
 *     {"source": "famigo.device", "path": "owner.familyId", "target": "famigo.family"},
 *     {"source": "famigo.note",   "path": "about",          "dbref": true}
 *   ]
 * }
 * </pre>
 *
 * {@code source} and {@code target} are namespaces ({@code db.collection}; a bare collection name
 * is in the database given with --db). {@code path} is dot notation with arrays transparent.
 * {@code "dbref": true} replaces {@code target}: the target is read from each DBRef. An optional
 * {@code "note"} string is kept for people and ignored by the check. Any other key is an error,
 * so that a misspelt key does not silently drop a rule.
 */
public final class RefsFile {
    public static final int VERSION = 1;
    private static final String FORMAT_HINT = "see docs/check.md, section 'The refs file', for the format;"
            + " 'rewind check refs --write-refs FILE' writes a starting point";
    private static final Set<String> RULE_KEYS = Set.of("source", "path", "target", "dbref", "note");

    private RefsFile() { }

    /** Reads the rules in {@code file}; names without a database are resolved against {@code defaultDb}. */
    public static List<ReferenceRule> read(Path file, String defaultDb) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw RewindException.notFound("no such refs file: " + file, FORMAT_HINT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parse(text, file.toString(), defaultDb);
    }

    /** Parses the text of a refs file; {@code name} is used in error messages. */
    public static List<ReferenceRule> parse(String text, String name, String defaultDb) {
        BsonDocument root;
        try {
            root = BsonDocument.parse(text);
        } catch (JsonParseException | IllegalArgumentException | org.bson.BsonInvalidOperationException e) {
            throw bad(name + " is not valid JSON: " + firstLine(e.getMessage()));
        }
        BsonValue version = root.get("version");
        if (version != null && !(version.isNumber() && version.asNumber().intValue() == VERSION)) {
            throw bad(name + ": unsupported version " + version + " (this Rewind reads version " + VERSION + ")");
        }
        BsonValue refs = root.get("references");
        if (refs == null || !refs.isArray()) {
            throw bad(name + ": expected a top-level \"references\" array");
        }
        List<ReferenceRule> rules = new ArrayList<>();
        BsonArray array = refs.asArray();
        for (int i = 0; i < array.size(); i++) {
            rules.add(rule(array.get(i), name + ": references[" + i + "]", defaultDb));
        }
        return rules;
    }

    private static ReferenceRule rule(BsonValue value, String where, String defaultDb) {
        if (!value.isDocument()) {
            throw bad(where + " is not an object");
        }
        BsonDocument d = value.asDocument();
        for (String key : d.keySet()) {
            if (!RULE_KEYS.contains(key)) {
                throw bad(where + ": unknown key \"" + key + "\" (expected one of source, path, target, dbref, note)");
            }
        }
        String source = string(d, "source", where);
        String path = string(d, "path", where);
        boolean dbRef = d.containsKey("dbref") && bool(d, "dbref", where);
        String target = d.containsKey("target") ? string(d, "target", where) : null;
        if (dbRef == (target != null)) {
            throw bad(where + ": give either \"target\" or \"dbref\": true");
        }
        String note = d.containsKey("note") ? string(d, "note", where) : null;
        try {
            Namespace src = Namespace.parse(source, defaultDb);
            Namespace tgt = target == null ? null : Namespace.parse(target, defaultDb);
            return new ReferenceRule(src, path, tgt, note);
        } catch (RewindException e) {
            throw bad(where + ": " + e.getMessage());
        }
    }

    private static String string(BsonDocument d, String key, String where) {
        BsonValue v = d.get(key);
        if (v == null || !v.isString() || v.asString().getValue().isBlank()) {
            throw bad(where + ": \"" + key + "\" must be a non-empty string");
        }
        return v.asString().getValue().trim();
    }

    private static boolean bool(BsonDocument d, String key, String where) {
        BsonValue v = d.get(key);
        if (!v.isBoolean()) {
            throw bad(where + ": \"" + key + "\" must be true or false");
        }
        return v.asBoolean().getValue();
    }

    /** The file's text for {@code rules}, one rule a line, with full namespaces. */
    public static String format(List<ReferenceRule> rules) {
        JsonWriterSettings compact = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();
        StringBuilder sb = new StringBuilder();
        sb.append("{\n  \"version\": ").append(VERSION).append(",\n  \"references\": [");
        for (int i = 0; i < rules.size(); i++) {
            sb.append(i == 0 ? "\n    " : ",\n    ").append(toBson(rules.get(i)).toJson(compact));
        }
        sb.append(rules.isEmpty() ? "]\n}\n" : "\n  ]\n}\n");
        return sb.toString();
    }

    public static void write(Path file, List<ReferenceRule> rules) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, format(rules), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BsonDocument toBson(ReferenceRule rule) {
        BsonDocument d = new BsonDocument("source", new BsonString(rule.source().toString()))
                .append("path", new BsonString(rule.path()));
        if (rule.isDbRef()) {
            d.append("dbref", BsonBoolean.TRUE);
        } else {
            d.append("target", new BsonString(rule.target().toString()));
        }
        if (rule.note() != null) {
            d.append("note", new BsonString(rule.note()));
        }
        return d;
    }

    private static RewindException bad(String message) {
        return new RewindException(ExitCode.USAGE, message, FORMAT_HINT);
    }

    private static String firstLine(String m) {
        String s = String.valueOf(m);
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
