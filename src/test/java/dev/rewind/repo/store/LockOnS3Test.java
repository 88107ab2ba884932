package dev.rewind.repo.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.WriterLock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The writer lock on S3, through the store Rewind opens there: one holder of many, named to the others. */
class LockOnS3Test {
    @Test
    void ofManyWritersTakingTheLockAtOnceExactlyOneHoldsItAndTheOthersAreToldWho() throws Exception {
        String location = S3Server.get().newLocation();
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Object>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                ByteStore store = Repositories.store(location);
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        return WriterLock.acquire(store, "writer");
                    } catch (RewindException e) {
                        return e;
                    }
                }));
            }
            start.countDown();
            List<WriterLock> held = new ArrayList<>();
            for (Future<Object> f : results) {
                Object r = f.get();
                if (r instanceof WriterLock l) {
                    held.add(l);
                } else {
                    assertThat(((RewindException) r).exitCode()).isEqualTo(ExitCode.LOCKED);
                    assertThat(((RewindException) r).getMessage()).contains("is locked by 'writer'");
                }
            }
            assertThat(held).hasSize(1);
            held.get(0).close();
            ByteStore store = Repositories.store(location);
            assertThat(WriterLock.current(store)).isNull();
            try (WriterLock again = WriterLock.acquire(store, "next")) {
                assertThatThrownBy(() -> WriterLock.acquire(Repositories.store(location), "late"))
                        .isInstanceOfSatisfying(RewindException.class, e -> assertThat(e.getMessage()).contains("'next'"));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
