package dev.rewind.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.rewind.ExitCode;
import dev.rewind.Redact;
import dev.rewind.RewindException;
import java.util.concurrent.TimeUnit;
import org.bson.Document;

/**
 * Opens a client for a connection string and checks that the server answers, so that a bad URI
 * or an unreachable server fails at once with a clear error instead of a 30-second timeout deep
 * inside a command.
 */
public final class Connection implements AutoCloseable {
    private final MongoClient client;
    private final String redactedUri;

    private Connection(MongoClient client, String redactedUri) {
        this.client = client;
        this.redactedUri = redactedUri;
    }

    public static Connection open(String uri) {
        ConnectionString cs;
        try {
            cs = new ConnectionString(uri);
        } catch (IllegalArgumentException e) {
            throw new RewindException(ExitCode.USAGE, "not a valid MongoDB connection string: " + Redact.uri(uri)
                    + " (" + e.getMessage() + ")", "use the form mongodb://HOST:PORT/ or mongodb+srv://HOST/", e);
        }
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(cs)
                .applyToClusterSettings(b -> {
                    if (cs.getServerSelectionTimeout() == null) {
                        b.serverSelectionTimeout(5, TimeUnit.SECONDS);
                    }
                })
                .applyToSocketSettings(b -> {
                    if (cs.getConnectTimeout() == null) {
                        b.connectTimeout(5, TimeUnit.SECONDS);
                    }
                })
                .applicationName("rewind")
                .build();
        MongoClient client = MongoClients.create(settings);
        Connection connection = new Connection(client, Redact.uri(uri));
        try {
            client.getDatabase("admin").runCommand(new Document("ping", 1));
        } catch (MongoException e) {
            client.close();
            throw unreachable(connection.redactedUri, e);
        }
        return connection;
    }

    static RewindException unreachable(String redactedUri, MongoException e) {
        String what = e instanceof com.mongodb.MongoSecurityException
                ? "the server at " + redactedUri + " refused the credentials"
                : "cannot reach the MongoDB server at " + redactedUri;
        String hint = e instanceof com.mongodb.MongoSecurityException
                ? "check the user, password and authSource in --uri"
                : "check the host and port, and that the server is running (try: ./rewind sandbox)";
        return new RewindException(ExitCode.UNREACHABLE, what, hint, e);
    }

    public MongoClient client() { return client; }

    /** The connection string with any password replaced by ***. */
    public String redactedUri() { return redactedUri; }

    @Override
    public void close() {
        client.close();
    }
}
