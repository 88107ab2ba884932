package dev.rewind.sandbox;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The embedded MongoDB-compatible server (mongo-java-server) used by the demo and the tests.
 * It is not MongoDB: see the README for what it lacks. The oplog is on (so collection-level change
 * streams work), first batches are limited like mongod's, update, replace and delete events have
 * MongoDB's documented shape with pre- and post-images (see {@link MongodBehaviour}), and it
 * advertises wire version 13 (MongoDB 5.0) so that current clients such as mongosh accept it.
 */
public final class Sandbox implements AutoCloseable {
    /** MongoDB 5.0's wire version: the lowest that mongosh accepts. */
    public static final MongoVersion VERSION = new MongoVersion() {
        @Override public List<Integer> getVersionArray() { return List.of(5, 0, 0); }
        @Override public int getWireVersion() { return 13; }
    };

    private final MongoServer server;
    private final AbstractMongoBackend backend;
    private final InetSocketAddress address;

    private Sandbox(AbstractMongoBackend backend, ChangeImages images, String host, int port) {
        this.backend = backend;
        backend.version(VERSION);
        this.server = new MongoServer(new MongodBehaviour(backend, images));
        server.enableOplog();
        server.bind(host, port);
        this.address = server.getLocalAddress();
    }

    /** An in-memory server on 127.0.0.1 and a free port. */
    public static Sandbox inMemory() {
        return start("127.0.0.1", 0, null);
    }

    /** A server on host:port (port 0 picks a free one), in memory or file-backed in {@code dataDir}. */
    public static Sandbox start(String host, int port, Path dataDir) {
        ChangeImages images = new ChangeImages(ChangeImages.DEFAULT_MAX_BYTES);
        AbstractMongoBackend backend;
        if (dataDir == null) {
            backend = CapturingBackends.memory(images);
        } else {
            try {
                Files.createDirectories(dataDir);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            backend = CapturingBackends.h2(dataDir.resolve("sandbox.mv").toString(), images);
        }
        return new Sandbox(backend, images, host, port);
    }

    public int port() { return address.getPort(); }

    public String host() { return address.getHostString(); }

    public String uri() { return "mongodb://" + host() + ":" + port() + "/"; }

    @Override
    public void close() {
        server.shutdownNow();
        backend.close();
    }
}
