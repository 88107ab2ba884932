package dev.rewind.sandbox.ops;

import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.Bson;
import dev.rewind.sandbox.server.Connection;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sandbox's connections and the command each is running: what {@code $currentOp} (and the
 * {@code currentOp} command, mongosh's {@code db.currentOp()}) reports, in the shape of mongod's
 * {@code CurOp::reportState} and {@code reportCurrentOpForClient} (MongoDB manual, "$currentOp
 * (aggregation)", "currentOp" output fields), and what {@code killOp} kills. There is no
 * authentication, so every operation is the user's own and {@code allUsers} changes nothing. Of the
 * sandbox's own threads, only the TTL monitor runs commands, and it is listed as mongod lists it
 * (a system operation, {@code desc: "TTLMonitor"}).
 */
public final class CurrentOps {
    /** mongod truncates a reported command over this many bytes of BSON when asked to ({@code truncateOps}). */
    private static final int MAX_COMMAND_BYTES = 1000;
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx")
            .withZone(ZoneOffset.UTC);

    private final AtomicInteger opids = new AtomicInteger();
    private final Map<Long, Client> clients = new ConcurrentHashMap<>();

    /** One connection: its client's metadata from its first {@code hello}, and the command it runs. */
    private static final class Client {
        final Connection connection;
        volatile String systemName;
        volatile Document metadata;
        volatile Operation running;

        Client(Connection connection) {
            this.connection = connection;
        }
    }

    /**
     * A command starts on {@code connection}; until {@link #end} it is this thread's operation.
     *
     * @param command the command as it arrived (generic arguments included)
     */
    public Operation begin(Connection connection, String db, String name, Document command, Document lsid, Long txnNumber,
                           boolean inTransaction) {
        Operation op = new Operation(opids.incrementAndGet(), connection, db, name, command, lsid, txnNumber, inTransaction);
        client(connection).running = op;
        op.bind();
        return op;
    }

    public void end(Operation op) {
        op.unbind();
        Client c = clients.get(op.connection().id());
        if (c != null && c.running == op) {
            c.running = null;
        }
    }

    /** A {@code hello} carried {@code client} metadata: kept from the first, as mongod keeps it. */
    public void hello(Connection connection, Object metadata) {
        if (metadata instanceof Document d) {
            Client c = client(connection);
            if (c.metadata == null) {
                c.metadata = d;
            }
        }
    }

    /**
     * {@code connection} is one of the sandbox's own threads, which mongod lists as a system
     * operation under {@code desc} (e.g. {@code TTLMonitor}), without a client.
     */
    public void system(Connection connection, String desc) {
        client(connection).systemName = desc;
    }

    public void closed(Connection connection) {
        clients.remove(connection.id());
    }

    /** {@code killOp}: marks the running operation {@code opid} killed, if one runs under that id. */
    public void kill(long opid) {
        for (Client c : clients.values()) {
            Operation op = c.running;
            if (op != null && op.opid() == opid) {
                op.kill();
            }
        }
    }

    private Client client(Connection connection) {
        return clients.computeIfAbsent(connection.id(), id -> new Client(connection));
    }

    /**
     * What {@code $currentOp} with {@code options} lists, {@code host} being this server as the
     * client reached it, and {@code open} the transactions in progress.
     */
    public List<Document> report(CurrentOpOptions options, String host, List<OpenTransaction> open) {
        List<Document> out = new ArrayList<>();
        Set<Object> busySessions = new HashSet<>();
        for (Client c : clients.values()) {
            Operation op = c.running;
            if (op != null) {
                out.add(active(c, op, options, host));
                if (op.lsid() != null) {
                    busySessions.add(op.lsid().get("id"));
                }
            } else if (options.idleConnections()) {
                out.add(idle(c, host));
            }
        }
        if (options.idleSessions()) {
            for (OpenTransaction t : open) {
                if (!busySessions.contains(t.lsid().get("id"))) {
                    out.add(idleSession(t, host));
                }
            }
        }
        return out;
    }

    private static Document clientFields(Client c, String host) {
        Connection conn = c.connection;
        if (c.systemName != null) {
            return new Document("type", "op").append("host", host).append("desc", c.systemName);
        }
        Document d = new Document("type", "op").append("host", host).append("desc", "conn" + conn.id())
                .append("connectionId", (int) conn.id())
                .append("client", conn.remote().getAddress().getHostAddress() + ":" + conn.remote().getPort());
        Document metadata = c.metadata;
        if (metadata != null) {
            if (metadata.get("application") instanceof Document app && app.get("name") instanceof String name) {
                d.put("appName", name);
            }
            d.put("clientMetadata", metadata);
        }
        return d;
    }

    /** What mongod reports of every client, running or idle. */
    private static Document clientState(Client c, String host, boolean active) {
        Document d = clientFields(c, host);
        d.put("active", active);
        d.put("currentOpTime", ISO.format(Instant.now()));
        d.put("threaded", true);
        return d;
    }

    private static Document idle(Client c, String host) {
        return clientState(c, host, false);
    }

    private static Document active(Client c, Operation op, CurrentOpOptions options, String host) {
        Document d = clientState(c, host, true);
        d.put("opid", op.opid());
        if (op.lsid() != null) {
            d.put("lsid", op.lsid());
        }
        if (op.inTransaction()) {
            d.put("transaction", new Document("parameters", new Document("txnNumber", op.txnNumber())
                    .append("autocommit", false)));
        }
        long micros = op.micros();
        d.put("secs_running", micros / 1_000_000);
        d.put("microsecs_running", micros);
        d.put("op", OpKind.of(op.name()));
        d.put("ns", OpKind.namespace(op.db(), op.name(), op.command()));
        d.put("redacted", false);
        d.put("command", options.truncateOps() ? truncated(op.command()) : op.command());
        d.put("numYields", 0);
        if (op.killed()) {
            d.put("killPending", true);
        }
        d.put("locks", new Document());
        d.put("waitingForLock", op.isWaitingForLock());
        d.put("lockStats", new Document());
        d.put("waitingForFlowControl", false);
        d.put("flowControlStats", new Document());
        return d;
    }

    private static Document idleSession(OpenTransaction t, String host) {
        Instant start = Instant.now().minusMillis(t.ageMillis());
        Document txn = new Document("parameters", new Document("txnNumber", t.txnNumber()).append("autocommit", false))
                .append("startWallClockTime", ISO.format(start))
                .append("timeOpenMicros", t.ageMillis() * 1000)
                .append("expiryTime", ISO.format(start.plusMillis(t.lifetimeMillis())));
        return new Document("type", "idleSession").append("host", host).append("desc", "inactive transaction")
                .append("lsid", t.lsid()).append("transaction", txn).append("active", false)
                .append("waitingForLock", false).append("locks", new Document()).append("lockStats", new Document())
                .append("waitingForFlowControl", false).append("flowControlStats", new Document());
    }

    /**
     * mongod's {@code truncateOps} ({@code appendAsObjOrString} in curop.cpp): a command of more
     * than 1,000 bytes of BSON becomes {@code {$truncated: <its text, cut to 1,000 characters
     * ending in "...">, comment}}.
     */
    private static Document truncated(Document command) {
        if (Bson.size(command) <= MAX_COMMAND_BYTES) {
            return command;
        }
        String text = command.toString();
        if (text.length() > MAX_COMMAND_BYTES) {
            text = text.substring(0, MAX_COMMAND_BYTES - 3) + "...";
        }
        Document d = new Document("$truncated", text);
        if (command.containsKey("comment")) {
            d.put("comment", command.get("comment"));
        }
        return d;
    }
}
