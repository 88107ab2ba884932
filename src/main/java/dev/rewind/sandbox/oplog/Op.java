package dev.rewind.sandbox.oplog;

import de.bwaldvogel.mongo.bson.Document;
import java.util.UUID;

/**
 * One change as the oplog holds it: a document write or a catalog change. Documents are kept as
 * BSON bytes, so an entry never changes after it is written.
 *
 * @param kind what changed
 * @param ns "db.collection", or "db" for {@link Kind#DROP_DATABASE}
 * @param uuid the collection's UUID (null for a database)
 * @param key the document's {@code _id} (document writes only)
 * @param document insert: the document; replace: the new document; update: the post-image when the
 *     collection had {@code changeStreamPreAndPostImages} on at the time of the write; else null
 * @param preImage the document before an update, replace or delete, when the collection had
 *     {@code changeStreamPreAndPostImages} on at the time of the write; else null
 * @param description update: {@code updateDescription} (with {@code disambiguatedPaths} where a path
 *     needs it); DDL: the event's {@code operationDescription}; modify: also {@code stateBeforeChange}
 *     under that key; null otherwise
 * @param to rename: the target "db.collection"; null otherwise
 * @param diff update: the {@code $v: 2} delta mongod logs for it (its {@code o.diff}); null otherwise
 */
public record Op(Kind kind, String ns, UUID uuid, Object key, byte[] document, byte[] preImage,
                 Document description, String to, Document diff) {

    public Op(Kind kind, String ns, UUID uuid, Object key, byte[] document, byte[] preImage, Document description, String to) {
        this(kind, ns, uuid, key, document, preImage, description, to, null);
    }

    public enum Kind {
        INSERT("insert"), UPDATE("update"), REPLACE("replace"), DELETE("delete"),
        CREATE("create"), DROP("drop"), RENAME("rename"), DROP_DATABASE("dropDatabase"),
        CREATE_INDEXES("createIndexes"), DROP_INDEXES("dropIndexes"), MODIFY("modify");

        private final String operationType;

        Kind(String operationType) {
            this.operationType = operationType;
        }

        /** The change event's {@code operationType}. */
        public String operationType() {
            return operationType;
        }

        public boolean isDocument() {
            return ordinal() <= DELETE.ordinal();
        }
    }

    public String db() {
        int dot = ns.indexOf('.');
        return dot < 0 ? ns : ns.substring(0, dot);
    }

    /** The collection name, or null for a database-level change. */
    public String collection() {
        int dot = ns.indexOf('.');
        return dot < 0 ? null : ns.substring(dot + 1);
    }

    /** Approximate memory this op holds. */
    public long bytes() {
        return 96L + (document == null ? 0 : document.length) + (preImage == null ? 0 : preImage.length)
                + (description == null ? 0 : 64L * description.size()) + (diff == null ? 0 : 64L * diff.size());
    }
}
