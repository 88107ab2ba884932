package dev.rewind.bench;

import com.mongodb.client.MongoCollection;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/**
 * Generates family documents of about 300 bytes of BSON, like the accounts of a small SaaS: names,
 * emails, a plan, an address, dates and a few numbers. Deterministic for a seed.
 */
public final class Families {
    private static final String[] FIRST = {"Ada", "Ben", "Chloé", "Dmitri", "Eve", "Farid", "Grace", "Hiro", "Ines", "Jonas",
        "Kemal", "Lena", "Mateo", "Nora", "Oskar", "Priya", "Quinn", "Rosa", "Sven", "Tariq"};
    private static final String[] LAST = {"Meyer", "Okafor", "Rossi", "Nakamura", "Silva", "Novak", "Dubois", "Larsen",
        "Haddad", "Kowalski", "García", "Schmidt", "Nguyen", "Murphy", "Ivanova"};
    private static final String[] CITY = {"Berlin", "Lisbon", "Lyon", "Porto", "Graz", "Utrecht", "Gdańsk", "Turin"};
    private static final String[] PLAN = {"free", "family", "premium"};

    private final Random random;
    private long counter;

    public Families(long seed) {
        this.random = new Random(seed);
    }

    public Document next() {
        long i = counter++;
        String last = LAST[random.nextInt(LAST.length)];
        String first = FIRST[random.nextInt(FIRST.length)];
        return new Document("_id", new ObjectId())
                .append("name", "The " + last + " family")
                .append("email", first.toLowerCase() + "." + last.toLowerCase() + "." + i + "@example.org")
                .append("plan", PLAN[random.nextInt(PLAN.length)])
                .append("members", 1 + random.nextInt(6))
                .append("balance", Decimal128.parse(random.nextInt(50_000) + ".00"))
                .append("created", new Date(1_600_000_000_000L + i * 60_000L))
                .append("lastSeen", new Date(1_700_000_000_000L + random.nextInt(1_000_000_000)))
                .append("address", new Document("street", (1 + random.nextInt(200)) + " " + last + "straße")
                        .append("city", CITY[random.nextInt(CITY.length)])
                        .append("zip", String.format("%05d", random.nextInt(100_000))))
                .append("settings", new Document("locale", random.nextBoolean() ? "de-DE" : "en-GB")
                        .append("notifications", random.nextBoolean()))
                .append("tags", List.of("parent", random.nextBoolean() ? "early-adopter" : "referral"));
    }

    /** Inserts {@code n} families in batches of 1,000. */
    public void insert(MongoCollection<Document> coll, int n) {
        List<Document> batch = new ArrayList<>(1000);
        for (int i = 0; i < n; i++) {
            batch.add(next());
            if (batch.size() == 1000) {
                coll.insertMany(batch);
                batch = new ArrayList<>(1000);
            }
        }
        if (!batch.isEmpty()) {
            coll.insertMany(batch);
        }
    }
}
