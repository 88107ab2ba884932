package dev.rewind.sandbox.diff;

import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The delta mongod logs for a pipeline-style update: {@code doc_diff::computeOplogDiff}
 * (src/mongo/db/update/document_diff_calculator.cpp) called by the pipeline executor with the
 * 15 bytes of {@code $v}/{@code diff} metadata as padding.
 *
 * <p>Documents are walked field by field: equal fields are skipped; a field present on both sides
 * with a new value of the same type, both documents or both arrays, gets a sub-diff, else an
 * update; a pre-image field whose name does not line up is deleted, and re-inserted at the end
 * when it still exists; the post-image's remaining fields are inserts. Arrays are compared index
 * by index: changed elements are updates or sub-diffs, extra elements are updates, and a shorter
 * post-image adds a resize ({@code truncatedArrays}). A sub-diff whose approximate size reaches
 * its post-image's size is replaced by an update of the whole value; when the whole delta is not
 * smaller than the post-image, mongod logs the full document instead (a {@code replace} event).
 *
 * <p>The size accounting is mongod's own: the approximate running size of the diff tree
 * ({@code ApproxBSONSizeTracker}: 5 bytes per document diff plus the padding, 9 per array diff,
 * field name + 2 + value size per entry, 8 per section, 1 per sub-diff prefix, 7 per resize),
 * checked before each field pair and at the end of each level, then the real encoded size of
 * the serialized diff against the post-image's. Sizes are those of the BSON mongo-java-server
 * would encode, which match mongod's for every type it represents.
 */
public final class PipelineDiff {
    /** mongod's {@code update_oplog_entry::kSizeOfDeltaOplogEntryMetadata}. */
    public static final int DELTA_METADATA_PADDING = 15;

    private PipelineDiff() { }

    /**
     * The delta of a pipeline-style update from {@code before} to {@code after} (the pipeline's
     * output, which is the stored document), or null when mongod would log a replacement and the
     * change event is a {@code replace}. An empty delta means the update changed nothing: mongod
     * logs nothing and emits no event.
     */
    public static UpdateDelta of(Document before, Document after) {
        if (BsonValues.same(before, after)) {
            // PipelineExecutor::applyUpdate: a no-op is caught before any diff is computed.
            return new UpdateDelta(List.of());
        }
        Document diff = oplogDiff(before, after, DELTA_METADATA_PADDING);
        return diff == null ? null : UpdateDelta.fromOplogDiff(diff);
    }

    /**
     * {@code computeOplogDiff(pre, post, padding)}: the {@code $v: 2} diff, or null when the
     * size limit makes mongod give up on a delta.
     */
    public static Document oplogDiff(Document before, Document after, int padding) {
        DiffTree.DocumentNode node = documentDiff(before, after, padding);
        if (node == null) {
            return null;
        }
        Document diff = node.serialize();
        return BsonValues.documentSize(diff) < BsonValues.documentSize(after) ? diff : null;
    }

    private static DiffTree.DocumentNode documentDiff(Document pre, Document post, int padding) {
        DiffTree.DocumentNode node = new DiffTree.DocumentNode(padding);
        List<Map.Entry<String, Object>> preFields = new ArrayList<>(pre.entrySet());
        List<Map.Entry<String, Object>> postFields = new ArrayList<>(post.entrySet());
        int postSize = BsonValues.documentSize(post);
        TreeSet<String> deletes = new TreeSet<>(BsonValues::compareBytes);
        int i = 0;
        int j = 0;
        while (i < preFields.size() && j < postFields.size()) {
            if (postSize < node.size) {
                return null;
            }
            String preName = preFields.get(i).getKey();
            Object preValue = preFields.get(i).getValue();
            String postName = postFields.get(j).getKey();
            Object postValue = postFields.get(j).getValue();
            if (preName.equals(postName)) {
                if (!BsonValues.same(preValue, postValue)) {
                    if (nestable(preValue, postValue)) {
                        subDiff(preValue, postValue, preName, node);
                    } else {
                        node.addChild(preName, DiffTree.Leaf.update(postValue));
                    }
                }
                i++;
                j++;
            } else {
                deletes.add(preName);
                i++;
            }
        }
        for (; i < preFields.size(); i++) {
            node.addChild(preFields.get(i).getKey(), DiffTree.Leaf.delete());
        }
        for (; j < postFields.size(); j++) {
            String name = postFields.get(j).getKey();
            node.addChild(name, DiffTree.Leaf.insert(postFields.get(j).getValue()));
            deletes.remove(name);
        }
        for (String name : deletes) {
            node.addChild(name, DiffTree.Leaf.delete());
        }
        return postSize > node.size ? node : null;
    }

    private static DiffTree.ArrayNode arrayDiff(List<?> pre, List<?> post) {
        DiffTree.ArrayNode node = new DiffTree.ArrayNode();
        int postSize = BsonValues.valueSize(post);
        int k = 0;
        for (; k < pre.size() && k < post.size(); k++) {
            if (postSize < node.size) {
                return null;
            }
            Object preValue = pre.get(k);
            Object postValue = post.get(k);
            if (!BsonValues.same(preValue, postValue)) {
                if (nestable(preValue, postValue)) {
                    subDiff(preValue, postValue, k, node);
                } else {
                    node.addChild(k, DiffTree.Leaf.update(postValue));
                }
            }
        }
        for (; k < post.size(); k++) {
            node.addChild(k, DiffTree.Leaf.update(post.get(k)));
        }
        if (pre.size() > post.size()) {
            node.setResize(post.size());
        }
        return postSize > node.size ? node : null;
    }

    private static boolean nestable(Object pre, Object post) {
        return (BsonValues.isDocument(pre) && BsonValues.isDocument(post))
            || (BsonValues.isArray(pre) && BsonValues.isArray(post));
    }

    private static void subDiff(Object pre, Object post, Object step, DiffTree.Internal parent) {
        DiffTree.Internal sub = pre instanceof Document preDoc
            ? documentDiff(preDoc, (Document) post, 0)
            : arrayDiff(asList(pre), asList(post));
        parent.addChild(step, sub == null ? DiffTree.Leaf.update(post) : sub);
    }

    private static List<?> asList(Object array) {
        return array instanceof List<?> list ? list : new ArrayList<>((java.util.Collection<?>) array);
    }
}
