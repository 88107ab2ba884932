package dev.rewind.detect;

import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/**
 * One alert: an incident opened or closed. Its JSON (docs/detect.md, "Alert payload") has a
 * Slack-compatible {@code text}, the {@code event} and the structured {@code incident}.
 */
public record Alert(IncidentChange.Kind kind, Incident incident) {
    private static final JsonWriterSettings JSON = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    public String event() {
        return kind.label();
    }

    /** One line for people: what, where, how much, and the undo command. */
    public String text() {
        Incident i = incident;
        String what = i.severity().toUpperCase() + " Rewind incident " + i.id() + " " + event() + " (" + i.rule() + "): ";
        String span = kind == IncidentChange.Kind.CLOSED
                ? " from " + dev.rewind.HumanTime.ofSecond(i.firstAt().seconds()) + " to "
                        + dev.rewind.HumanTime.ofSecond(i.lastAt().seconds())
                : " since " + dev.rewind.HumanTime.ofSecond(i.firstAt().seconds());
        String how = i.causes().isEmpty() ? "" : " (" + String.join("; ", i.causes()) + ")";
        return what + i.describeCounts() + " in " + String.join(", ", i.namespaces()) + how + span
                + ". See it: " + dev.rewind.Shell.rewind("incidents", "--repo", i.repo()) + "; undo it (dry run, then add --apply): "
                + i.undoCommand() + whoIsWriting();
    }

    /**
     * For an opened incident of deletes, updates or inserts in one collection: the mongosh command
     * that lists the client writing there while it still runs. Change events name no client, and
     * the server's current operations do (manual, "db.currentOp()": {@code client}, {@code appName},
     * {@code opid}; it needs the {@code inprog} privilege to see other users' operations).
     */
    private String whoIsWriting() {
        if (kind != IncidentChange.Kind.OPENED || incident.namespaces().size() != 1) {
            return "";
        }
        List<String> ops = new ArrayList<>();
        for (String op : incident.undoOps()) {
            switch (op) {
                case "delete" -> ops.add("'remove'");
                case "update" -> ops.add("'update'");
                case "insert" -> ops.add("'insert'");
                default -> { }
            }
        }
        if (ops.isEmpty()) {
            return "";
        }
        String op = ops.size() == 1 ? ops.get(0) : "{$in: [" + String.join(", ", ops) + "]}";
        return ". Who is writing, while it runs (mongosh): db.currentOp({ns: '" + incident.namespaces().get(0)
                + "', op: " + op + "})";
    }

    public String toJson() {
        return new Document("text", text()).append("event", event()).append("incident", incident.toDocument()).toJson(JSON);
    }

    /** The log line for stderr. */
    public String logLine() {
        return "ALERT " + text();
    }

    static List<IncidentChange.Kind> alerting() {
        return List.of(IncidentChange.Kind.OPENED, IncidentChange.Kind.CLOSED);
    }
}
