package dev.rewind.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/** Plain text columns, left-aligned, padded to the widest cell; numbers right-aligned. */
final class TextTable {
    private static final JsonWriterSettings SHELL = JsonWriterSettings.builder().outputMode(JsonMode.SHELL).build();
    private final List<String[]> rows = new ArrayList<>();

    TextTable(String... header) {
        rows.add(header);
    }

    TextTable row(Object... cells) {
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            r[i] = String.valueOf(cells[i]);
        }
        rows.add(r);
        return this;
    }

    /** A line of its own between rows (it spans the columns and sets no width). */
    TextTable note(String text) {
        rows.add(new String[] {text, NOTE});
        return this;
    }

    private static final String NOTE = "\u0000note";

    private static boolean isNote(String[] row) {
        return row.length == 2 && NOTE.equals(row[1]);
    }

    void print(PrintWriter out, String indent) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        boolean[] numeric = new boolean[columns];
        java.util.Arrays.fill(numeric, rows.size() > 1);
        for (int r = 0; r < rows.size(); r++) {
            if (isNote(rows.get(r))) {
                continue;
            }
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], rows.get(r)[c].length());
                if (r > 0 && !rows.get(r)[c].matches("-?[0-9][0-9,]*\\+?")) {
                    numeric[c] = false;
                }
            }
        }
        for (String[] row : rows) {
            if (isNote(row)) {
                out.println(indent + row[0]);
                continue;
            }
            StringBuilder line = new StringBuilder(indent);
            for (int c = 0; c < columns; c++) {
                String cell = row[c];
                String pad = " ".repeat(width[c] - cell.length());
                line.append(numeric[c] ? pad + cell : cell + (c == columns - 1 ? "" : pad));
                if (c < columns - 1) {
                    line.append("  ");
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** A value as mongosh would show it: {@code ObjectId('...')}, {@code "text"}, {@code 42}. */
    static String value(BsonValue v) {
        String json = new BsonDocument("v", v).toJson(SHELL);
        return json.substring(json.indexOf(':') + 1, json.length() - 1).strip();
    }

    static String json(BsonDocument doc) {
        return doc.toJson(JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).indent(true).build());
    }
}
