package dev.rewind.sandbox.stream;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.ServerError;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A change stream resume token, encoded as mongod encodes it (src/mongo/db/pipeline/resume_token.cpp):
 * a hex KeyString of clusterTime, version, tokenType, txnOpIndex, fromInvalidate, uuid (and for
 * a fragment of a split event, its number), so that tokens compare in stream order as strings and
 * every token starts with {@code 82} and the 8-byte timestamp. The event identifier that mongod
 * appends (documentKey or operation) is left out: within one timestamp the operation index and
 * the invalidate flag already tell events apart.
 *
 * @param ts the event's cluster time (a transaction's commit time)
 * @param version 1 (MongoDB 6.0's default) or 2 (6.1+)
 * @param event true for an event's token, false for a high-water mark (a point in time, sorting
 *     before every event of its timestamp)
 * @param txnOpIndex the event's index within its {@code applyOps} entry or transaction; 0 otherwise
 * @param fromInvalidate whether the token is an invalidate event's
 * @param uuid the collection's UUID, or null
 * @param fragment the fragment number (from 0) of a split event's fragment, or -1
 */
public record ResumeToken(long ts, int version, boolean event, long txnOpIndex, boolean fromInvalidate, UUID uuid,
                          int fragment) {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    public static ResumeToken highWaterMark(BsonTimestamp ts, int version) {
        return new ResumeToken(ts.getValue(), version, false, 0, false, null, -1);
    }

    public static ResumeToken event(BsonTimestamp ts, int version, long txnOpIndex, boolean fromInvalidate, UUID uuid) {
        return new ResumeToken(ts.getValue(), version, true, txnOpIndex, fromInvalidate, uuid, -1);
    }

    public ResumeToken fragment(int n) {
        return new ResumeToken(ts, version, event, txnOpIndex, fromInvalidate, uuid, n);
    }

    public BsonTimestamp timestamp() {
        return new BsonTimestamp(ts);
    }

    /** The {@code _id} of an event: {@code {_data: "82..."}}. */
    public Document toDocument() {
        return new Document("_data", encode());
    }

    String encode() {
        StringBuilder s = new StringBuilder("82");
        s.append(String.format("%016X", ts));
        integer(s, version);
        integer(s, event ? 128 : 0);
        integer(s, txnOpIndex);
        s.append(fromInvalidate ? "70" : "6E");
        if (uuid == null) {
            if (version >= 2) {
                s.append("14");  // "From v2 onwards, a missing UUID is encoded as explicitly null." (resume_token.cpp)
            }
        } else {
            s.append("5A1004").append(String.format("%016X%016X", uuid.getMostSignificantBits(), uuid.getLeastSignificantBits()));
        }
        if (fragment >= 0) {
            integer(s, fragment);
        }
        return s.append("04").toString();
    }

    /** A KeyString non-negative integer: 0x29 for zero, else 0x2A+bytes and the value shifted left by one. */
    private static void integer(StringBuilder s, long n) {
        if (n == 0) {
            s.append("29");
            return;
        }
        long shifted = n << 1;
        int bytes = (64 - Long.numberOfLeadingZeros(shifted) + 7) / 8;
        s.append(String.format("%02X", 0x2A + bytes));
        for (int i = bytes - 1; i >= 0; i--) {
            s.append(String.format("%02X", (shifted >>> (8 * i)) & 0xFF));
        }
    }

    /** Reads a token back from an {@code _id} document; an unreadable one is mongod's error. */
    public static ResumeToken parse(Object id) {
        if (!(id instanceof Document d) || !(d.get("_data") instanceof String data)) {
            throw new ServerError(40647, "Location40647", "Bad resume token: _data of missing or of wrong type. Expected string, got "
                    + id);
        }
        try {
            Reader r = new Reader(HEX.parseHex(data));
            if (r.next() != 0x82) {
                throw new IllegalArgumentException("no timestamp");
            }
            long ts = r.fixed(8);
            int version = (int) r.integer();
            boolean event = r.integer() == 128;
            long txnOpIndex = r.integer();
            int b = r.next();
            boolean invalidate = b == 0x70;
            UUID uuid = null;
            int t = r.peek();
            if (t == 0x5A) {
                r.next();
                r.next();
                r.next();
                uuid = new UUID(r.fixed(8), r.fixed(8));
            } else if (t == 0x14) {
                r.next();
            }
            int fragment = -1;
            if (r.peek() != 0x04) {
                fragment = (int) r.integer();
            }
            return new ResumeToken(ts, version, event, txnOpIndex, invalidate, uuid, fragment);
        } catch (RuntimeException e) {
            throw new ServerError(9, "FailedToParse", "resume token string was not a valid hex string: " + data);
        }
    }

    /** Stream order: time, then high-water marks before events, then operation index, invalidate last, fragment. */
    public int compareTo(ResumeToken o) {
        int c = Long.compareUnsigned(ts, o.ts);
        if (c != 0) {
            return c;
        }
        c = Boolean.compare(event, o.event);
        if (c != 0) {
            return c;
        }
        c = Long.compare(txnOpIndex, o.txnOpIndex);
        if (c != 0) {
            return c;
        }
        c = Boolean.compare(fromInvalidate, o.fromInvalidate);
        return c != 0 ? c : Integer.compare(fragment, o.fragment);
    }

    private static final class Reader {
        private final byte[] bytes;
        private int at;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        int next() {
            return bytes[at++] & 0xFF;
        }

        int peek() {
            return bytes[at] & 0xFF;
        }

        long fixed(int n) {
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = (v << 8) | next();
            }
            return v;
        }

        long integer() {
            int type = next();
            if (type == 0x29) {
                return 0;
            }
            return fixed(type - 0x2A) >>> 1;
        }
    }
}
