package dev.rewind.sandbox.diff;

import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * mongod's change-stream reading of a {@code $v: 2} delta
 * (src/mongo/db/pipeline/change_stream_document_diff_parser.cpp). At each document level it
 * emits the {@code u} then {@code i} (then {@code b}) entries as updates, then the {@code d}
 * entries as removals, then descends into each {@code s<field>} sub-diff in order; at each array
 * level it emits the {@code l} resize as a truncation first, then each {@code u<idx>} as an
 * update and descends into each {@code s<idx>}.
 */
final class DiffParser {
    private final List<UpdateDelta.Entry> entries = new ArrayList<>();

    private DiffParser() { }

    static UpdateDelta parse(Document diff) {
        DiffParser parser = new DiffParser();
        parser.document(diff, new ArrayList<>());
        return new UpdateDelta(parser.entries);
    }

    private void document(Document diff, List<Object> path) {
        for (String section : new String[] {"u", "i", "b"}) {
            if (diff.get(section) instanceof Document values) {
                for (Map.Entry<String, Object> e : values.entrySet()) {
                    entries.add(UpdateDelta.Entry.update(append(path, e.getKey()), e.getValue()));
                }
            }
        }
        if (diff.get("d") instanceof Document deletes) {
            for (String name : deletes.keySet()) {
                entries.add(UpdateDelta.Entry.remove(append(path, name)));
            }
        }
        for (Map.Entry<String, Object> e : diff.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("s")) {
                subDiff((Document) e.getValue(), append(path, key.substring(1)));
            } else if (!key.equals("u") && !key.equals("i") && !key.equals("b") && !key.equals("d")) {
                throw new IllegalArgumentException("Unexpected section: " + key + " in document diff");
            }
        }
    }

    private void array(Document diff, List<Object> path) {
        if (diff.get("l") instanceof Number newSize) {
            entries.add(UpdateDelta.Entry.truncate(path, newSize.intValue()));
        }
        for (Map.Entry<String, Object> e : diff.entrySet()) {
            String key = e.getKey();
            if (key.equals("a") || key.equals("l")) {
                continue;
            }
            List<Object> itemPath = append(path, Integer.parseInt(key.substring(1)));
            if (key.charAt(0) == 'u') {
                entries.add(UpdateDelta.Entry.update(itemPath, e.getValue()));
            } else if (key.charAt(0) == 's') {
                subDiff((Document) e.getValue(), itemPath);
            } else {
                throw new IllegalArgumentException("Expected either 'u' (update) or 's' (sub diff) but got " + key);
            }
        }
    }

    private void subDiff(Document diff, List<Object> path) {
        if (!diff.isEmpty() && diff.keySet().iterator().next().equals("a")) {
            array(diff, path);
        } else {
            document(diff, path);
        }
    }

    private static List<Object> append(List<Object> path, Object step) {
        List<Object> out = new ArrayList<>(path.size() + 1);
        out.addAll(path);
        out.add(step);
        return out;
    }
}
