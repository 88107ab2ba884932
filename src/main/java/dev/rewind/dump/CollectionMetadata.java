package dev.rewind.dump;

import dev.rewind.RewindException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/**
 * One collection, view or time-series collection of a dump, as mongodump describes it in
 * {@code <name>.metadata.json} and in an archive's prelude: canonical extended JSON with
 * {@code options} (omitted when empty), {@code indexes} (as listIndexes returned them), {@code uuid}
 * (32 hex digits), {@code collectionName} and {@code type} ({@code collection}, {@code view},
 * {@code timeseries}). Rewind keeps the UUID in the canonical 8-4-4-4-12 form.
 */
record CollectionMetadata(String db, String collection, String type, Document options, List<Document> indexes,
                          String uuid) {
    private static final JsonWriterSettings CANONICAL = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();

    String ns() {
        return db + "." + collection;
    }

    boolean isView() {
        return "view".equals(type);
    }

    boolean isTimeSeries() {
        return "timeseries".equals(type);
    }

    /** Parses metadata JSON; {@code collection} is the name the dump gives when the JSON has no collectionName. */
    static CollectionMetadata parse(String db, String collection, String json, String where) {
        Document d;
        try {
            d = Document.parse(json);
        } catch (RuntimeException e) {
            throw RewindException.corrupt(where + " is not valid metadata JSON: " + e.getMessage(),
                    "mongodump writes it; take the dump again, or copy this file again from where the dump is kept");
        }
        try {
            String name = d.getString("collectionName") != null ? d.getString("collectionName") : collection;
            String type = d.getString("type") != null ? d.getString("type") : d.get("options", new Document())
                    .containsKey("viewOn") ? "view" : "collection";
            List<Document> indexes = d.containsKey("indexes") ? d.getList("indexes", Document.class) : List.of();
            return new CollectionMetadata(db, name, type, d.get("options", new Document()), new ArrayList<>(indexes),
                    canonicalUuid(d.getString("uuid")));
        } catch (ClassCastException e) {
            throw RewindException.corrupt(where + " does not have mongodump's metadata shape: " + e.getMessage(),
                    "it should hold options, indexes, uuid, collectionName and type");
        }
    }

    /** The metadata JSON mongodump would write for this collection (canonical extended JSON, its key order). */
    String toJson() {
        Document d = new Document();
        if (options != null && !options.isEmpty()) {
            d.append("options", options);
        }
        d.append("indexes", indexes == null ? List.of() : indexes);
        if (uuid != null) {
            d.append("uuid", uuid.replace("-", ""));
        }
        return d.append("collectionName", collection).append("type", type).toJson(CANONICAL);
    }

    static String canonicalUuid(String hex) {
        if (hex == null || !hex.matches("[0-9a-fA-F]{32}")) {
            return hex;
        }
        String h = hex.toLowerCase();
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20) + "-"
                + h.substring(20);
    }

    /** A collection name as mongodump names its files: Go's url.PathEscape (RFC 3986 path segment). */
    static String escape(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            boolean keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-_.~$&+:=@".indexOf(c) >= 0;
            if (keep) {
                out.append(c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return out.toString();
    }

    /** The collection name a file name stands for (percent-decoding); the name itself if it is not escaped. */
    static String unescape(String fileName) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] in = fileName.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%' && i + 2 < in.length && isHex(in[i + 1]) && isHex(in[i + 2])) {
                out.write(Integer.parseInt(new String(in, i + 1, 2, StandardCharsets.US_ASCII), 16));
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(byte b) {
        return Character.digit(b, 16) >= 0;
    }
}
