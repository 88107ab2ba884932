package dev.rewind.repo.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link ByteStore} promises (the comments on its methods). A store implementation
 * passes this suite by extending it and saying how to make a fresh, empty store.
 */
public abstract class ByteStoreContract {

    /** A fresh, empty store, private to one test. */
    protected abstract ByteStore newStore() throws IOException;

    /**
     * Every blob the store physically holds, including anything it keeps for itself (temporary
     * files), as names relative to the store, sorted. Used to check that nothing is left behind.
     */
    protected abstract List<String> everythingStored() throws IOException;

    protected ByteStore store;

    @BeforeEach
    void createStore() throws IOException {
        store = newStore();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void returnsWhatWasPut() throws IOException {
        byte[] data = random(10_000, 1);
        store.put("objects/ab/abcdef", data);
        assertThat(store.get("objects/ab/abcdef")).isEqualTo(data);
        assertThat(store.size("objects/ab/abcdef")).isEqualTo(10_000);
        assertThat(store.exists("objects/ab/abcdef")).isTrue();
    }

    @Test
    void storesEmptyBlobs() throws IOException {
        store.put("blob", new byte[0]);
        assertThat(store.get("blob")).isEmpty();
        assertThat(store.size("blob")).isZero();
        assertThat(store.exists("blob")).isTrue();
    }

    @Test
    void putReplacesAnExistingBlob() throws IOException {
        store.put("a/one", bytes("first, and longer"));
        store.put("a/one", bytes("second"));
        assertThat(store.get("a/one")).isEqualTo(bytes("second"));
        assertThat(store.size("a/one")).isEqualTo(6);
    }

    @Test
    void putIfAbsentPublishesANewBlob() throws IOException {
        assertThat(store.putIfAbsent("a/one", bytes("first"))).isTrue();
        assertThat(store.get("a/one")).isEqualTo(bytes("first"));
    }

    @Test
    void putIfAbsentKeepsTheOriginalWhenTheNameExists() throws IOException {
        store.put("a/one", bytes("original"));
        assertThat(store.putIfAbsent("a/one", bytes("intruder"))).isFalse();
        assertThat(store.get("a/one")).isEqualTo(bytes("original"));
    }

    @Test
    void getOfAMissingBlobThrowsNoSuchFile() throws IOException {
        store.put("a/present", bytes("x"));
        assertThatThrownBy(() -> store.get("a/absent")).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> store.get("nowhere/absent")).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void sizeIsMinusOneAndExistsFalseForAMissingBlob() throws IOException {
        assertThat(store.size("a/absent")).isEqualTo(-1);
        assertThat(store.exists("a/absent")).isFalse();
    }

    @Test
    void listsNamesUnderAPrefixRecursivelyAndSorted() throws IOException {
        for (String name : List.of("objects/ff/ff01", "objects/00/0002", "objects/00/0001", "objects/7a/7a00",
                "snapshots/0000000000002.0000000000-b", "snapshots/0000000000001.0000000000-a", "config")) {
            store.put(name, bytes(name));
        }
        assertThat(store.list("objects/")).containsExactly("objects/00/0001", "objects/00/0002", "objects/7a/7a00",
                "objects/ff/ff01");
        assertThat(store.list("snapshots/")).containsExactly("snapshots/0000000000001.0000000000-a",
                "snapshots/0000000000002.0000000000-b");
        assertThat(store.list("objects/00/")).containsExactly("objects/00/0001", "objects/00/0002");
    }

    @Test
    void listOfAMissingPrefixIsEmpty() throws IOException {
        store.put("objects/00/0001", bytes("x"));
        assertThat(store.list("segments/")).isEmpty();
        assertThat(store.list("objects/01/")).isEmpty();
    }

    @Test
    void listDoesNotShowDeletedBlobs() throws IOException {
        store.put("a/one", bytes("1"));
        store.put("a/two", bytes("2"));
        store.delete("a/one");
        assertThat(store.list("a/")).containsExactly("a/two");
    }

    @Test
    void deleteRemovesABlob() throws IOException {
        store.put("a/one", bytes("1"));
        store.delete("a/one");
        assertThat(store.exists("a/one")).isFalse();
        assertThatThrownBy(() -> store.get("a/one")).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void deleteOfAMissingBlobDoesNothing() throws IOException {
        store.put("a/one", bytes("1"));
        store.delete("a/one");
        store.delete("a/one");
        store.delete("b/never");
        assertThat(store.list("a/")).isEmpty();
    }

    @Test
    void acceptsNamesMadeOfTheAllowedCharacters() throws IOException {
        store.put("x.y-z_1", bytes("ok"));
        store.put("a/B.c-D_9/e..f", bytes("ok"));
        assertThat(store.get("x.y-z_1")).isEqualTo(bytes("ok"));
        assertThat(store.list("a/")).containsExactly("a/B.c-D_9/e..f");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/abs", "../escape", "a/../../escape", "a/..", "..", ".", "./a", "a/./b", "a//b",
        "a/", "a\\b", "a b", "a:b", "a/é"})
    void rejectsBadNames(String name) {
        assertThatThrownBy(() -> store.put(name, bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.putIfAbsent(name, bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.get(name)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.size(name)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete(name)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exactlyOneOfManyConcurrentPutIfAbsentWins() throws Exception {
        int writers = 16;
        for (int round = 0; round < 20; round++) {
            String name = "race/r" + round;
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    byte[] mine = bytes("writer " + w);
                    results.add(pool.submit(() -> {
                        start.await();
                        return store.putIfAbsent(name, mine);
                    }));
                }
                start.countDown();
                List<Integer> winners = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    if (results.get(w).get(1, TimeUnit.MINUTES)) {
                        winners.add(w);
                    }
                }
                assertThat(winners).as("winners of round " + round).hasSize(1);
                assertThat(store.get(name)).isEqualTo(bytes("writer " + winners.get(0)));
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(everythingStored()).as("the losers leave nothing behind").allMatch(n -> n.startsWith("race/r"))
                .hasSize(20);
    }

    @Test
    void aReaderNeverSeesAPartialBlobWhileItIsReplaced() throws Exception {
        byte[] first = random(4 << 20, 1);
        byte[] second = random(4 << 20, 2);
        store.put("big/blob", first);
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> writer = pool.submit((Callable<Void>) () -> {
                try {
                    for (int i = 0; i < 40; i++) {
                        store.put("big/blob", i % 2 == 0 ? second : first);
                    }
                } finally {
                    writing.set(false);
                }
                return null;
            });
            Future<Set<String>> reader = pool.submit(() -> {
                Set<String> seen = new HashSet<>();
                int reads = 0;
                while (writing.get() || reads == 0) {
                    byte[] got = store.get("big/blob");
                    if (Arrays.equals(got, first)) {
                        seen.add("first");
                    } else if (Arrays.equals(got, second)) {
                        seen.add("second");
                    } else {
                        seen.add("torn read of " + got.length + " bytes");
                    }
                    reads++;
                }
                return seen;
            });
            writer.get(5, TimeUnit.MINUTES);
            assertThat(reader.get(5, TimeUnit.MINUTES)).isSubsetOf("first", "second");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aReaderNeverSeesAPartialBlobWhileItIsFirstPublished() throws Exception {
        byte[] data = random(4 << 20, 3);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                String name = "big/b" + round;
                boolean ifAbsent = round % 2 == 0;
                CountDownLatch started = new CountDownLatch(1);
                Future<Set<String>> reader = pool.submit(() -> {
                    Set<String> seen = new HashSet<>();
                    started.countDown();
                    while (true) {
                        long size = store.size(name);
                        if (size >= 0 && size != data.length) {
                            seen.add("size " + size);
                        }
                        try {
                            byte[] got = store.get(name);
                            seen.add(Arrays.equals(got, data) ? "whole" : "torn read of " + got.length + " bytes");
                            return seen;
                        } catch (NoSuchFileException notYet) {
                            Thread.onSpinWait();
                        }
                    }
                });
                started.await();
                if (ifAbsent) {
                    assertThat(store.putIfAbsent(name, data)).isTrue();
                } else {
                    store.put(name, data);
                }
                assertThat(reader.get(5, TimeUnit.MINUTES)).containsExactly("whole");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void leavesNoTemporaryFilesBehind() throws IOException {
        store.put("a/one", bytes("1"));
        store.put("a/one", bytes("2"));
        assertThat(store.putIfAbsent("a/two", bytes("3"))).isTrue();
        assertThat(store.putIfAbsent("a/two", bytes("4"))).isFalse();
        store.put("b/c/d", random(100_000, 4));
        store.delete("b/c/d");
        assertThat(everythingStored()).containsExactly("a/one", "a/two");
    }

    @Test
    void listSizesGivesEveryBlobUnderAPrefixWithItsSize() throws IOException {
        store.put("objects/00/0001", random(1234, 5));
        store.put("objects/00/0002", new byte[0]);
        store.put("objects/7a/7a00", random(70_000, 6));
        store.put("snapshots/s", bytes("x"));
        assertThat(store.listSizes("objects/")).containsExactly(java.util.Map.entry("objects/00/0001", 1234L),
                java.util.Map.entry("objects/00/0002", 0L), java.util.Map.entry("objects/7a/7a00", 70_000L));
        assertThat(store.listSizes("segments/")).isEmpty();
    }

    @Test
    void deleteAllRemovesEveryNamedBlobAndIgnoresMissingOnes() throws IOException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 1500; i += 7) {
            names.add(String.format("objects/%02x/%06d", i % 256, i));
        }
        for (String n : names) {
            store.put(n, bytes(n));
        }
        store.put("objects/keep/me", bytes("kept"));
        List<String> doomed = new ArrayList<>(names);
        doomed.add("objects/never/was");
        store.deleteAll(doomed);
        assertThat(store.list("objects/")).containsExactly("objects/keep/me");
    }

    @Test
    void namesItsLocation() {
        assertThat(store.location()).isNotBlank();
    }
}
