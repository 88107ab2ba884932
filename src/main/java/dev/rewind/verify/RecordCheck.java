package dev.rewind.verify;

import dev.rewind.RewindException;
import dev.rewind.capture.CaptureStatus;
import dev.rewind.detect.IncidentStore;
import dev.rewind.repo.Gap;
import dev.rewind.repo.StoredFile;
import dev.rewind.repo.Verifier.Problem;
import dev.rewind.repo.WriterLock;
import dev.rewind.repo.store.ByteStore;
import dev.rewind.undo.Journal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Checks the repository's records beside snapshots and the log: gaps, journals (whole: header,
 * batches without a gap up to what {@code done} records, and, reading data, every entry), incident
 * states, the capture status and the writer lock. Every file that does not read is a problem,
 * named.
 */
final class RecordCheck {
    private final ByteStore store;
    private final List<Problem> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private int files;

    RecordCheck(ByteStore store) {
        this.store = store;
    }

    List<Problem> problems() { return problems; }

    List<String> notes() { return notes; }

    int files() { return files; }

    RecordCheck check(boolean readData) {
        try {
            gaps();
            journals(readData);
            incidents();
            captureStatus();
            lock();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private void gaps() throws IOException {
        for (String name : store.list(Gap.FOLDER)) {
            files++;
            read(name, () -> Gap.parse(name, store.get(name)));
        }
    }

    private void journals(boolean readData) throws IOException {
        TreeSet<String> ids = new TreeSet<>();
        for (String name : store.list(Journal.FOLDER)) {
            files++;
            String rest = name.substring(Journal.FOLDER.length());
            int slash = rest.indexOf('/');
            if (slash < 0) {
                problems.add(new Problem(name, "a stray file under journals/", List.of()));
            } else {
                ids.add(rest.substring(0, slash));
            }
        }
        for (String id : ids) {
            String header = Journal.FOLDER + id + "/header";
            try {
                Journal.batches(store, id, readData ? entries -> { } : null);
            } catch (RewindException e) {
                String msg = e.getMessage();
                String file = fileNamed(msg, Journal.FOLDER + id + "/", header);
                problems.add(new Problem(file, msg.replace("corrupt repository file " + file + ": ", ""), List.of()));
            }
        }
    }

    private void incidents() throws IOException {
        for (String name : store.list(IncidentStore.FOLDER)) {
            files++;
            String[] parts = name.substring(IncidentStore.FOLDER.length()).split("/");
            if (!IncidentStore.isStateName(parts)) {
                problems.add(new Problem(name, "a stray file under incidents/ (not incidents/<6 digits>/<6 digits>)", List.of()));
            } else if (parts[1].equals("000000")) {
                read(name, () -> StoredFile.decode(name, store.get(name)));
            } else {
                read(name, () -> IncidentStore.parse(name, store.get(name)));
            }
        }
    }

    private void captureStatus() throws IOException {
        if (store.exists(CaptureStatus.NAME)) {
            files++;
            read(CaptureStatus.NAME, () -> CaptureStatus.parse(store.get(CaptureStatus.NAME)));
        }
    }

    private void lock() throws IOException {
        WriterLock.Holder h = WriterLock.current(store);
        if (h != null && h.pid() < 0) {
            problems.add(new Problem(WriterLock.NAME, "unreadable lock file: no writer can take the lock until"
                    + " 'rewind unlock' removes it", List.of()));
        } else if (h != null) {
            notes.add("locked by " + h.describe());
        }
        for (String marker : WriterLock.breakMarkers(store)) {
            notes.add(marker + " is left by a writer that died while breaking a stale lock; 'rewind unlock' removes it");
        }
    }

    private interface Read {
        Object run() throws IOException;
    }

    private void read(String name, Read r) throws IOException {
        try {
            r.run();
        } catch (NoSuchFileException gone) {
            // removed while we looked
        } catch (RewindException e) {
            problems.add(new Problem(name, e.getMessage().replace("corrupt repository file " + name + ": ", ""), List.of()));
        }
    }

    /** The journal file a message names, else {@code fallback}. */
    private static String fileNamed(String message, String folder, String fallback) {
        int at = message.indexOf(folder);
        if (at < 0) {
            return fallback;
        }
        int end = at + folder.length();
        while (end < message.length() && (Character.isLetterOrDigit(message.charAt(end)))) {
            end++;
        }
        return message.substring(at, end);
    }
}
