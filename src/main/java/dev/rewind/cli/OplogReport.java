package dev.rewind.cli;

import dev.rewind.RewindException;
import dev.rewind.dump.DumpOplog;
import dev.rewind.dump.DumpReader;
import dev.rewind.dump.OplogReplay;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/** What import and salvage tell a user of a dump's oplog (mongodump --oplog): replayed or not, for people and for --json. */
final class OplogReport {
    private OplogReport() { }

    /** Refuses {@code --oplog-replay} on a dump that holds no oplog (exit 2), naming what {@code command} can do instead. */
    static void requireOplog(DumpReader dump, String command) {
        if (!dump.hasOplog()) {
            throw RewindException.usage("--oplog-replay: " + dump.description() + " holds no oplog",
                    "only a dump taken with mongodump --oplog has one (oplog.bson, or the archive's oplog); " + command
                            + " it without --oplog-replay");
        }
    }

    /** Salvage's note when it took the dump's documents as the oplog leaves them. */
    static String takenAsReplayed(DumpOplog oplog, java.util.Collection<String> namespaces) {
        return "note: the dump's documents were taken as its oplog leaves them: " + oplog.changing(namespaces) + " of its "
                + oplog.entries() + " entries change these collections";
    }

    /**
     * What a user is told of a dump taken with {@code --oplog} whose oplog is not replayed: a
     * warning when its entries change the namespaces taken from the dump (with {@code remedy}, what
     * would replay it), else a note that they do not. Null without an oplog.
     */
    static String notReplayed(DumpOplog oplog, java.util.Collection<String> namespaces, String remedy) {
        if (oplog == null) {
            return null;
        }
        long changing = oplog.changing(namespaces);
        if (changing == 0) {
            return "note: the dump holds an oplog (mongodump --oplog) of " + oplog.entries() + " entries, none of which"
                    + " changes these collections: they are as at the dump's end";
        }
        return "warning: the dump holds an oplog (mongodump --oplog), and " + changing + " of its " + oplog.entries()
                + " entries change these collections; it was not replayed, so a document written while mongodump"
                + " ran is as its scan read it, not as at the dump's end (" + remedy + ")";
    }

    /** The oplog's figures for --json: its entries, how many change the namespaces, and what a replay applied; null without one. */
    static Document json(DumpOplog oplog, java.util.Collection<String> namespaces, OplogReplay.Summary replayed) {
        if (oplog == null) {
            return null;
        }
        Document d = new Document("entries", oplog.entries()).append("changing", oplog.changing(namespaces))
                .append("replayed", replayed != null);
        if (replayed != null) {
            d.append("inserts", replayed.inserts()).append("updates", replayed.updates()).append("deletes", replayed.deletes())
                    .append("documents", replayed.documents()).append("notCommitted", replayed.notCommitted())
                    .append("notReplayed", replayed.notReplayed()).append("dropped", replayed.dropped())
                    .append("recreated", replayed.recreated()).append("created", replayed.created())
                    .append("catalogChanges", replayed.catalogChanges())
                    .append("until", replayed.until() == null ? null : new Document("t", replayed.until().getTime())
                            .append("i", replayed.until().getInc()));
        }
        return d;
    }

    /** What a user is told of a replayed oplog: what it applied, to when, and what it left out. */
    static List<String> replayed(DumpOplog oplog, java.util.Collection<String> namespaces, OplogReplay.Summary s) {
        List<String> notes = new ArrayList<>();
        String until = s.until() == null ? "" : ", " + java.time.Instant.ofEpochSecond(s.until().getTime())
                + " (timestamp " + s.until().getTime() + "," + s.until().getInc() + ")";
        notes.add("note: replayed the dump's oplog: " + oplog.changing(namespaces) + " of its " + oplog.entries()
                + " entries change these collections (" + s.inserts() + " inserts, " + s.updates() + " updates, "
                + s.deletes() + " deletes of " + s.documents() + " documents); they are as at its last entry" + until);
        if (s.notCommitted() > 0) {
            notes.add("note: " + s.notCommitted() + (s.notCommitted() == 1 ? " write" : " writes") + " of transactions that had not committed by the oplog's end"
                    + " were left out, as the server left them out");
        }
        for (String ns : s.dropped()) {
            notes.add("note: the oplog drops " + ns + " while mongodump ran and does not create it again: it is left out,"
                    + " as the server had it at the oplog's end");
        }
        for (String ns : s.recreated()) {
            notes.add("note: the oplog drops " + ns + " while mongodump ran and creates it again: it holds only what was"
                    + " written since, with the options of its new creation, an _id index and the indexes built since");
        }
        for (String ns : s.created()) {
            notes.add("note: the oplog creates " + ns + " while mongodump ran (the dump does not hold it): it is taken as the"
                    + " oplog leaves it");
        }
        if (!s.catalogChanges().isEmpty()) {
            notes.add("note: replayed the oplog's index builds and drops and option changes: "
                    + String.join(", ", s.catalogChanges()));
        }
        for (String change : s.notReplayed()) {
            notes.add("warning: the oplog's " + change + " was not replayed: the snapshot has the indexes and options"
                    + " before it");
        }
        return notes;
    }
}
