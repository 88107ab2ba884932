package dev.rewind.sandbox;

import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.ObjectId;
import dev.rewind.sandbox.backend.Backends;
import dev.rewind.sandbox.backend.FileStores;
import dev.rewind.sandbox.catalog.Catalog;
import dev.rewind.sandbox.catalog.CatalogStore;
import dev.rewind.sandbox.catalog.Ddl;
import dev.rewind.sandbox.catalog.Namespaces;
import dev.rewind.sandbox.command.Mongod;
import dev.rewind.sandbox.oplog.OpClock;
import dev.rewind.sandbox.oplog.Oplog;
import dev.rewind.sandbox.oplog.OplogStore;
import dev.rewind.sandbox.server.SandboxServer;
import dev.rewind.sandbox.session.DataLock;
import dev.rewind.sandbox.session.Sessions;
import dev.rewind.sandbox.stream.ChangeStreams;
import dev.rewind.sandbox.write.Publisher;
import dev.rewind.sandbox.write.Rollback;
import dev.rewind.sandbox.write.WriteCommands;
import dev.rewind.sandbox.write.WriteRecorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The embedded server of the demo and the tests: an emulation of a single-node MongoDB replica
 * set (6.0, 7.0 or 8.0, see {@link MongoRelease}) with mongo-java-server's query engine and
 * storage underneath (in memory, or in an H2 file) and this package's own layers on top:
 * sessions and transactions, an oplog, change streams of every scope with MongoDB's event shapes,
 * the catalog (collection UUIDs and options, views, time-series collections). What it still does
 * differently from MongoDB is listed in the README.
 */
public final class Sandbox implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Sandbox.class);
    private final SandboxOptions options;
    private final AbstractMongoBackend backend;
    private final Oplog oplog;
    private final Sessions sessions;
    private final SandboxServer server;
    private final Thread noopWriter;
    private final TtlMonitor ttl;
    private final Thread ttlMonitor;
    private volatile boolean closed;

    private Sandbox(SandboxOptions options) {
        this.options = options;
        WriteRecorder recorder = new WriteRecorder();
        OplogStore oplogStore;
        CatalogStore catalogStore;
        ObjectId replicaSetId;
        if (options.dataDir() == null) {
            replicaSetId = new ObjectId();
            backend = Backends.memory(recorder);
            oplogStore = OplogStore.NONE;
            catalogStore = CatalogStore.NONE;
        } else {
            try {
                Files.createDirectories(options.dataDir());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            H2Backend h2 = Backends.h2(options.dataDir().resolve("sandbox.mv").toString(), recorder);
            backend = h2;
            oplogStore = FileStores.oplog(h2.getMvStore());
            catalogStore = FileStores.catalog(h2.getMvStore());
            replicaSetId = FileStores.replicaSetId(h2.getMvStore());
        }
        oplog = new Oplog(new OpClock(Clock.systemUTC()), options.oplogBytes(), oplogStore);
        oplog.append(List.of(), null, null, false);   // a new primary writes a no-op entry first
        Namespaces namespaces = new Namespaces(backend, new Catalog(catalogStore));
        DataLock lock = new DataLock(options.transactionLifetime().toMillis() + 5_000);
        Rollback rollback = new Rollback(namespaces, recorder);
        sessions = new Sessions(lock, oplog, rollback::undo, options.transactionOpsPerEntry(),
                options.transactionLifetime().toMillis());
        WriteCommands writes = new WriteCommands(namespaces, recorder, new Publisher(oplog, options.release().batchesInserts()), options.release(),
                options.batchedDeleteDocs());
        Ddl ddl = new Ddl(namespaces, options.release());
        ChangeStreams streams = new ChangeStreams(oplog, namespaces, options.release());
        Mongod mongod = new Mongod(options, backend, oplog, namespaces, lock, sessions, writes, ddl, streams, replicaSetId);
        try {
            server = new SandboxServer(options.host(), options.port(), mongod);
        } catch (RuntimeException e) {
            sessions.close();
            backend.close();
            throw e;
        }
        noopWriter = new Thread(this::writeNoops, "sandbox-noop-writer");
        noopWriter.setDaemon(true);
        noopWriter.start();
        ttl = new TtlMonitor(mongod, Clock.systemUTC());
        mongod.system(ttl.connection(), "TTLMonitor");
        ttlMonitor = new Thread(this::expireDocuments, "sandbox-ttl-monitor");
        ttlMonitor.setDaemon(true);
        ttlMonitor.start();
    }

    /** The TTL monitor's loop: a pass every {@code ttlMonitorSleepSecs}. */
    private void expireDocuments() {
        while (!closed) {
            try {
                Thread.sleep(options.ttlMonitorSleep().toMillis());
            } catch (InterruptedException e) {
                return;
            }
            if (!closed) {
                try {
                    ttl.pass();
                } catch (RuntimeException e) {
                    log.warn("TTL monitor pass failed", e);
                }
            }
        }
    }

    /** Starts a sandbox. */
    public static Sandbox start(SandboxOptions options) {
        return new Sandbox(options);
    }

    /** An in-memory MongoDB 7.0 on 127.0.0.1 and a free port. */
    public static Sandbox inMemory() {
        return start(SandboxOptions.defaults());
    }

    /** A MongoDB 7.0 on host:port (port 0 picks a free one), in memory or file-backed in {@code dataDir}. */
    public static Sandbox start(String host, int port, Path dataDir) {
        return start(SandboxOptions.defaults().listen(host, port).dataDir(dataDir));
    }

    /** The periodic no-op writer of a primary ({@code periodicNoopIntervalSecs}): the cluster time moves on while idle. */
    private void writeNoops() {
        long seen = oplog.nextSeq();
        while (!closed) {
            try {
                Thread.sleep(options.noopInterval().toMillis());
            } catch (InterruptedException e) {
                return;
            }
            long now = oplog.nextSeq();
            if (now == seen && !closed) {
                oplog.append(List.of(), null, null, false);
            }
            seen = oplog.nextSeq();
        }
    }

    public SandboxOptions options() {
        return options;
    }

    public int port() {
        return server.address().getPort();
    }

    public String host() {
        return server.address().getHostString();
    }

    public String uri() {
        return "mongodb://" + host() + ":" + port() + "/";
    }

    @Override
    public void close() {
        closed = true;
        noopWriter.interrupt();
        ttlMonitor.interrupt();
        try {
            ttlMonitor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ttl.close();
        server.close();
        sessions.close();
        backend.close();
    }
}
