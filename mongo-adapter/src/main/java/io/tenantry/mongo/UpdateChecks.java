package io.tenantry.mongo;

import io.tenantry.IsolationViolationException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Refuses updates that could change or remove the FIELD model's tenant field: the field decides
 * which tenant a shared document belongs to, so changing it would hand the document to another
 * tenant, and removing it would orphan the document.
 *
 * <p>Kept apart from {@link FieldRules} because MongoDB has two update grammars (operator documents
 * and update pipelines) and the pipeline grammar is also checked for {@code $merge}'s
 * {@code whenMatched} pipeline. Both checks are allowlists: an operator or stage they do not know
 * is refused, never passed through unchecked.
 */
final class UpdateChecks {

    /** Every update operator MongoDB accepts; each takes a document whose keys are field paths. */
    static final Set<String> OPERATORS = Set.of(
            "$set", "$unset", "$rename", "$inc", "$mul", "$min", "$max", "$currentDate", "$setOnInsert",
            "$push", "$addToSet", "$pull", "$pullAll", "$pop", "$bit");

    private UpdateChecks() {
    }

    /** Tells whether {@code path} is {@code field} itself or a path below it (dotted or positional). */
    static boolean touches(String field, String path) {
        return path.equals(field) || path.startsWith(field + ".");
    }

    /**
     * Checks an operator-style update document.
     *
     * @throws IsolationViolationException if a key is not a known operator, an operator's argument
     *     is not a document, or any path (for {@code $rename} also the target) touches {@code field}
     */
    static void checkOperators(String field, BsonDocument update) {
        for (Map.Entry<String, BsonValue> entry : update.entrySet()) {
            String operator = entry.getKey();
            if (!operator.startsWith("$")) {
                throw new IsolationViolationException("Update key '" + operator + "' is not an update operator: "
                        + "a replacement-style update would replace the document and could drop its tenant field '"
                        + field + "'. Use replaceOne (Tenantry stamps the replacement with the tenant), "
                        + "or put the fields in {$set: {...}}.");
            }
            if (!OPERATORS.contains(operator)) {
                throw new IsolationViolationException("Unknown update operator '" + operator
                        + "': Tenantry only passes update operators it can check for the tenant field "
                        + sorted(OPERATORS) + ". Use one of those, or an update pipeline of $set/$unset stages.");
            }
            if (!entry.getValue().isDocument()) {
                throw new IsolationViolationException("Update operator " + operator + " must be given a document of "
                        + "field paths, like {" + operator + ": {\"name\": ...}}; got a "
                        + entry.getValue().getBsonType() + ".");
            }
            for (Map.Entry<String, BsonValue> target : entry.getValue().asDocument().entrySet()) {
                checkPath(field, operator, target.getKey(), "");
                if (operator.equals("$rename")) {
                    if (!target.getValue().isString()) {
                        throw new IsolationViolationException("$rename of '" + target.getKey()
                                + "' must name the new field as a string; got a " + target.getValue().getBsonType()
                                + ".");
                    }
                    checkPath(field, operator, target.getValue().asString().getValue(), " (as the new name)");
                }
            }
        }
    }

    private static void checkPath(String field, String operator, String path, String role) {
        if (touches(field, path)) {
            throw new IsolationViolationException(operator + " names '" + path + "'" + role + ", which "
                    + (path.equals(field) ? "is" : "lies under") + " the tenant field '" + field
                    + "': an update could move the document to another tenant or orphan it. Tenantry sets '"
                    + field + "' itself; remove it from the update.");
        }
    }

    /**
     * Checks an update pipeline (or {@code $merge}'s {@code whenMatched} pipeline): only
     * {@code $set}, {@code $addFields} and {@code $unset} stages that leave {@code field} alone pass.
     *
     * @param what how the pipeline is called in messages, for example "update pipeline"
     * @throws IsolationViolationException if a stage is malformed, replaces the document, is not
     *     allowed in an update pipeline, or touches {@code field}
     */
    static void checkPipeline(String field, List<BsonDocument> stages, String what) {
        for (BsonDocument stage : stages) {
            String name = PipelineConfinement.stageName(stage, what);
            BsonValue spec = stage.get(name);
            switch (name) {
                case "$set":
                case "$addFields":
                    if (!spec.isDocument()) {
                        throw new IsolationViolationException(name + " in the " + what
                                + " must be given a document of fields; got a " + spec.getBsonType() + ".");
                    }
                    for (String path : spec.asDocument().keySet()) {
                        checkStagePath(field, name, what, path);
                    }
                    break;
                case "$unset":
                    checkUnset(field, what, spec);
                    break;
                case "$project":
                    throw new IsolationViolationException("$project in the " + what + " could drop the tenant field '"
                            + field + "' from the document. Use $unset to remove fields and $set to change them.");
                case "$replaceRoot":
                case "$replaceWith":
                    throw new IsolationViolationException(name + " in the " + what + " replaces the whole document and "
                            + "could drop or change the tenant field '" + field + "'. Use $set/$unset on individual "
                            + "fields, or replaceOne, which Tenantry stamps with the tenant.");
                default:
                    throw new IsolationViolationException("Stage '" + name + "' is not allowed in the " + what
                            + "; Tenantry accepts $set, $addFields and $unset there.");
            }
        }
    }

    private static void checkUnset(String field, String what, BsonValue spec) {
        List<BsonValue> paths = spec.isArray() ? spec.asArray().getValues() : List.of(spec);
        for (BsonValue path : paths) {
            if (!path.isString()) {
                throw new IsolationViolationException("$unset in the " + what
                        + " must name fields as strings or an array of strings; got a " + path.getBsonType() + ".");
            }
            checkStagePath(field, "$unset", what, path.asString().getValue());
        }
    }

    private static void checkStagePath(String field, String stage, String what, String path) {
        if (touches(field, path)) {
            throw new IsolationViolationException(stage + " in the " + what + " names '" + path + "', which "
                    + (path.equals(field) ? "is" : "lies under") + " the tenant field '" + field
                    + "': an update could move the document to another tenant or orphan it. Tenantry sets '"
                    + field + "' itself; remove it from the stage.");
        }
    }

    static String sorted(Set<String> names) {
        return names.stream().sorted().toList().toString();
    }
}
