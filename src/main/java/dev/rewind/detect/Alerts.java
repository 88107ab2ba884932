package dev.rewind.detect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Sends one alert when an incident opens and one when it closes, never for an update. The log line
 * is written at once; every other sink has its own bounded queue and daemon thread, so a slow or
 * dead webhook never holds up capture nor another sink. A failed delivery is retried with
 * {@link Backoff}, in order (a "closed" never overtakes its "opened"); when a queue is full the
 * oldest alert in it is dropped, with a log line.
 */
public final class Alerts implements AutoCloseable {
    private final Consumer<String> log;
    private final List<Worker> workers = new ArrayList<>();

    public Alerts(List<AlertSink> sinks, Consumer<String> log, Backoff backoff, int capacity) {
        this.log = log;
        for (AlertSink sink : sinks) {
            workers.add(new Worker(sink, backoff, capacity));
        }
    }

    /** Alerts for an opened or closed incident; ignores updates. Never blocks. */
    public void publish(IncidentChange change) {
        if (!Alert.alerting().contains(change.kind())) {
            return;
        }
        Alert alert = new Alert(change.kind(), change.incident());
        log.accept(alert.logLine());
        for (Worker w : workers) {
            w.offer(alert);
        }
    }

    /** Per sink (by name): alerts delivered, failed attempts, alerts given up or dropped. */
    public record SinkCounts(String sink, long delivered, long failedAttempts, long lost) { }

    public List<SinkCounts> counts() {
        return workers.stream().map(w -> new SinkCounts(w.sink.name(), w.delivered.get(), w.failures.get(), w.lost.get())).toList();
    }

    /** Waits until every queued alert was delivered or given up, up to {@code timeout}; true if so. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        for (Worker w : workers) {
            while (w.pending.get() > 0) {
                if (System.nanoTime() > end) {
                    return false;
                }
                Thread.sleep(20);
            }
        }
        return true;
    }

    /** Stops the sink threads; what they still hold is logged as undelivered. */
    @Override
    public void close() {
        for (Worker w : workers) {
            w.thread.interrupt();
        }
    }

    private final class Worker {
        final AlertSink sink;
        final Backoff backoff;
        final BlockingQueue<Alert> queue;
        final AtomicInteger pending = new AtomicInteger();
        final java.util.concurrent.atomic.AtomicLong delivered = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong lost = new java.util.concurrent.atomic.AtomicLong();
        final Thread thread;

        Worker(AlertSink sink, Backoff backoff, int capacity) {
            this.sink = sink;
            this.backoff = backoff;
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.thread = new Thread(this::run, "alerts-" + sink.name().split(" ")[0]);
            thread.setDaemon(true);
            thread.start();
        }

        synchronized void offer(Alert alert) {
            pending.incrementAndGet();
            while (!queue.offer(alert)) {
                Alert dropped = queue.poll();
                if (dropped != null) {
                    pending.decrementAndGet();
                    lost.incrementAndGet();
                    log.accept("alert queue of the " + sink.name() + " is full: dropped the " + dropped.event()
                            + " alert of incident " + dropped.incident().id());
                }
            }
        }

        void run() {
            try {
                while (true) {
                    Alert alert = queue.take();
                    try {
                        deliver(alert);
                    } finally {
                        pending.decrementAndGet();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (!queue.isEmpty()) {
                    log.accept(queue.size() + " alerts not sent to the " + sink.name() + " (stopping)");
                }
            }
        }

        private void deliver(Alert alert) throws InterruptedException {
            long giveUp = System.nanoTime() + backoff.giveUpAfter().toNanos();
            Duration wait = backoff.first();
            for (int attempt = 1; ; attempt++) {
                try {
                    sink.send(alert);
                    delivered.incrementAndGet();
                    if (attempt > 1) {
                        log.accept(sink.name() + ": " + alert.event() + " alert of incident " + alert.incident().id()
                                + " delivered after " + attempt + " attempts");
                    }
                    return;
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    failures.incrementAndGet();
                    if (System.nanoTime() + wait.toNanos() > giveUp) {
                        lost.incrementAndGet();
                        log.accept(sink.name() + ": gave up on the " + alert.event() + " alert of incident "
                                + alert.incident().id() + " after " + attempt + " attempts: " + why(e));
                        return;
                    }
                    log.accept(sink.name() + " failed (" + why(e) + "); retrying the " + alert.event()
                            + " alert of incident " + alert.incident().id() + " in " + wait.toMillis() + " ms");
                    TimeUnit.NANOSECONDS.sleep(wait.toNanos());
                    wait = backoff.next(wait);
                }
            }
        }
    }

    private static String why(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
