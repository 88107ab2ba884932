package dev.rewind.check;

/**
 * One kind of reference: the values at {@code path} in the documents of {@code source} are
 * {@code _id}s of documents in {@code target}.
 *
 * <p>Paths use MongoDB's dot notation with arrays transparent, as in a query: {@code familyId},
 * {@code owner.familyId}, {@code memberIds} (an array of ids: every element is a reference),
 * {@code guardians.familyId} (an array of sub-documents). Reports name the exact place of each
 * dangling value with array indexes, for example {@code memberIds.2}.
 *
 * <p>A DBRef rule ({@code target == null}) takes each value's target from the DBRef itself
 * ({@code $ref}, and {@code $db} when present, else the source's database) and checks its
 * {@code $id}. A value that is a DBRef under a rule with a declared target is checked by its
 * {@code $id} against that target.
 *
 * @param note why the rule exists (for inferred rules, the evidence); informational only
 */
public record ReferenceRule(Namespace source, String path, Namespace target, String note) {

    public ReferenceRule {
        if (source == null || path == null || path.isEmpty()) {
            throw new IllegalArgumentException("a reference rule needs a source and a path");
        }
    }

    public static ReferenceRule to(Namespace source, String path, Namespace target) {
        return new ReferenceRule(source, path, target, null);
    }

    public static ReferenceRule dbRef(Namespace source, String path) {
        return new ReferenceRule(source, path, null, null);
    }

    public boolean isDbRef() {
        return target == null;
    }

    /** {@code famigo.child.familyId -> famigo.family}, or {@code ... -> (DBRef)}. */
    public String describe() {
        return source + "." + path + " -> " + (isDbRef() ? "(DBRef)" : target.toString());
    }
}
