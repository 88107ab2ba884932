package dev.rewind.repo;

import dev.rewind.RewindException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * Checks a repository: every manifest reads and parses, every object a manifest names is present
 * with a sound header, and, for the objects chosen for reading (all, a sample, or none), that the
 * checksum holds, the payload decompresses and the content matches its address.
 */
public final class Verifier {
    private final Repository repo;

    public Verifier(Repository repo) {
        this.repo = repo;
    }

    /** One damaged or missing file, and the snapshots that need it. */
    public record Problem(String file, String reason, List<String> snapshots) { }

    public record Report(int snapshots, int objects, int objectsRead, long bytesRead, List<Problem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * @param readFraction share of objects whose data is read and checked: 0 = presence only,
     *                     1 = all ({@code --read-data}), in between = a random sample
     */
    public Report verify(double readFraction, long seed) {
        List<Problem> problems = new ArrayList<>();
        Map<String, List<String>> users = new LinkedHashMap<>();
        int snapshots = 0;
        try {
            for (String name : repo.store().list("snapshots/")) {
                SnapshotManifest m;
                try {
                    m = SnapshotManifest.parse(name, repo.store().get(name));
                } catch (RewindException e) {
                    problems.add(new Problem(name, e.getMessage().replace("corrupt repository file " + name + ": ", ""),
                            List.of()));
                    continue;
                } catch (IllegalArgumentException strayName) {
                    problems.add(new Problem(name, "a stray file under snapshots/ (not a manifest name)", List.of()));
                    continue;
                }
                snapshots++;
                for (NamespaceSnapshot n : m.namespaces()) {
                    for (ObjectRef o : n.objects()) {
                        users.computeIfAbsent(o.hash(), h -> new ArrayList<>());
                        List<String> u = users.get(o.hash());
                        if (!u.contains(m.id())) {
                            u.add(m.id());
                        }
                    }
                }
            }
            Random random = new Random(seed);
            int read = 0;
            long bytes = 0;
            for (Map.Entry<String, List<String>> e : users.entrySet()) {
                String name = Repository.objectName(e.getKey());
                boolean readIt = readFraction >= 1 || (readFraction > 0 && random.nextDouble() < readFraction);
                String reason = null;
                try {
                    if (readIt) {
                        byte[] stored = repo.store().get(name);
                        read++;
                        bytes += stored.length;
                        byte[] plain = StoredFile.decode(name, stored);
                        if (!repo.address(plain).equals(e.getKey())) {
                            reason = "content does not match its address";
                        }
                    } else {
                        long size = repo.store().size(name);
                        if (size < 0) {
                            reason = "missing";
                        } else if (size < StoredFile.HEADER_SIZE) {
                            reason = "truncated";
                        }
                    }
                } catch (NoSuchFileException missing) {
                    reason = "missing";
                } catch (RewindException bad) {
                    reason = bad.getMessage().replace("corrupt repository file " + name + ": ", "");
                }
                if (reason != null) {
                    problems.add(new Problem(name, reason, List.copyOf(new TreeSet<>(e.getValue()))));
                }
            }
            return new Report(snapshots, users.size(), read, bytes, problems);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
