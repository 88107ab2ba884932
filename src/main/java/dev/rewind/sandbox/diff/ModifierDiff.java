package dev.rewind.sandbox.diff;

import de.bwaldvogel.mongo.bson.Document;
import java.util.List;

/**
 * The delta mongod logs for a modifier-style update ({@code $set}, {@code $unset}, {@code $inc},
 * {@code $mul}, {@code $min}, {@code $max}, {@code $rename}, {@code $currentDate}, {@code $push}
 * with {@code $each}/{@code $position}/{@code $slice}/{@code $sort}, {@code $addToSet} with
 * {@code $each}, {@code $pop}, {@code $pull}, {@code $pullAll}, {@code $bit},
 * {@code $setOnInsert}, through plain, {@code $}, {@code $[]} and {@code $[<id>]} paths), as its
 * {@code V2LogBuilder} records it, given the exact pre- and post-images of the document.
 *
 * <p>The update is parsed into mongod's update tree and walked over the pre-image in mongod's
 * order; each modifier's effect is read from the post-image (it is not recomputed), and what
 * mongod logs for it follows the rules of its node ({@link LeafApplier}). Modifier updates are
 * always logged as a delta, whatever its size. An empty result means every modifier was a
 * no-op: mongod writes nothing and emits no event.
 *
 * <p>Two inputs of mongod's are not in the images: the array index the query matched for
 * {@code $}, and which elements each {@code $[<id>]} filter matched. Pass them for exact results.
 * Without them an identifier (or {@code $}) is taken to match the elements where its own leaves
 * changed something. That is exact unless a matched element was left unchanged: mongod counts
 * it when choosing between per-element logging (at most one matched element) and logging the
 * modified element or the whole array, so it may log {@code a.1} whole where this logs
 * {@code a.1.b}; and an always-logging leaf ({@code $currentDate}, {@code $unset} of a null
 * element) whose value did not change is taken as unmatched.
 */
public final class ModifierDiff {
    private ModifierDiff() { }

    /**
     * The delta of {@code update} taking {@code before} to {@code after}, inferring {@code $}
     * and {@code $[<id>]} matches from the images.
     *
     * @throws IllegalArgumentException when the update is not a valid modifier update or the
     *     post-image cannot result from it
     */
    public static UpdateDelta of(Document before, Document after, Document update) {
        return of(before, after, update, null, null);
    }

    /**
     * As {@link #of(Document, Document, Document)}, with the update's {@code arrayFilters}
     * (matched against the pre-image elements with mongo-java-server's query matcher) and the
     * array index the query matched for {@code $}; either may be null to infer it.
     */
    public static UpdateDelta of(Document before, Document after, Document update,
                                 List<Document> arrayFilters, Integer positionalMatch) {
        return UpdateDelta.fromOplogDiff(oplogDiff(before, after, update, arrayFilters, positionalMatch));
    }

    /** The {@code diff} of the {@code $v: 2} oplog entry mongod writes, {@code {}} for a no-op. */
    public static Document oplogDiff(Document before, Document after, Document update,
                                     List<Document> arrayFilters, Integer positionalMatch) {
        LogBuilder log = new LogBuilder();
        new ModifierApplier(before, after, arrayFilters, positionalMatch).apply(UpdateTree.parse(update), log);
        return log.serialize();
    }
}
