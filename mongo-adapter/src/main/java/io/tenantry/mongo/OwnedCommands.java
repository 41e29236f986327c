package io.tenantry.mongo;

import io.tenantry.IsolationViolationException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.conversions.Bson;

/**
 * Which commands {@code MongoDatabase.runCommand} may send for a tenant: an allowlist per model,
 * because a command is free-form and may name any collection or database.
 *
 * <ul>
 *   <li>In a shared database (COLLECTION model) only commands that touch no data: every other
 *       command could name another tenant's collection, and Tenantry does not rewrite commands.
 *   <li>In the tenant's own database (DATABASE model) the commands that act within the current
 *       database; the pipelines they carry ({@code aggregate}, views of {@code create} and
 *       {@code collMod}) are confined like any other, so {@code $out}/{@code $merge}/{@code $lookup}
 *       cannot reach another database. Commands that take a full namespace ({@code renameCollection},
 *       {@code cloneCollectionAsCapped}, ...) and server-wide ones are refused.
 * </ul>
 *
 * <p>Top-level fields starting with {@code $} (such as {@code $db}) are refused in both. Stateless.
 */
final class OwnedCommands {

    /** Commands that touch no data, allowed everywhere. */
    static final Set<String> HARMLESS = Set.of("ping", "buildInfo", "buildinfo", "hello", "isMaster", "ismaster");

    /** Commands acting within the current database, allowed in the tenant's own database. */
    static final Set<String> WITHIN_DATABASE = union(HARMLESS, Set.of("find", "insert", "update", "delete",
            "count", "distinct", "aggregate", "findAndModify", "create", "createIndexes", "listIndexes",
            "dropIndexes", "drop", "listCollections", "collStats", "dbStats", "collMod", "validate"));

    private OwnedCommands() {
    }

    /**
     * Returns {@code command} if it may run in a database shared with other tenants.
     *
     * @throws IsolationViolationException otherwise
     */
    static BsonDocument inSharedDatabase(Bson command, CodecRegistry registry) {
        BsonDocument document = toDocument(command, registry);
        String name = document.getFirstKey();
        if (!HARMLESS.contains(name)) {
            throw new IsolationViolationException("Command \"" + name + "\" is refused on the COLLECTION model: in a"
                    + " database shared by tenants a command could name another tenant's collection. Use the methods of"
                    + " MongoCollection and MongoDatabase instead (they are confined), or place the tenant on the"
                    + " DATABASE model. Allowed commands: " + new TreeSet<>(HARMLESS) + ".");
        }
        return document;
    }

    /**
     * Returns {@code command}, its pipelines confined by {@code namespace}, if it may run in the
     * tenant's own database.
     *
     * @throws IsolationViolationException otherwise
     */
    static BsonDocument inOwnDatabase(Bson command, CodecRegistry registry, OwnedNamespace namespace) {
        BsonDocument document = toDocument(command, registry);
        String name = document.getFirstKey();
        if (!WITHIN_DATABASE.contains(name)) {
            throw new IsolationViolationException("Command \"" + name + "\" is refused: Tenantry allows through"
                    + " runCommand only commands that act within the tenant's database, and cannot confine this one."
                    + " Use the methods of MongoCollection and MongoDatabase instead (renameCollection included)."
                    + " Allowed commands: " + new TreeSet<>(WITHIN_DATABASE) + ".");
        }
        switch (name) {
            case "aggregate":
                if (!document.get(name).isString()) {
                    throw new IsolationViolationException("A database-level aggregate command ({aggregate: 1}) is"
                            + " refused through runCommand; use MongoDatabase.aggregate(pipeline), which confines it.");
                }
                return withConfinedPipeline(document, true, registry, namespace);
            case "create":
            case "collMod":
                return withConfinedPipeline(document, false, registry, namespace);
            default:
                return document;
        }
    }

    private static BsonDocument withConfinedPipeline(BsonDocument command, boolean required, CodecRegistry registry,
            OwnedNamespace namespace) {
        BsonValue pipeline = command.get("pipeline");
        if (pipeline == null && !required) {
            return command;
        }
        if (pipeline == null || !pipeline.isArray()) {
            throw new IllegalArgumentException("The \"pipeline\" of command \"" + command.getFirstKey()
                    + "\" must be an array of stages.");
        }
        List<BsonDocument> stages = new java.util.ArrayList<>();
        for (BsonValue stage : pipeline.asArray()) {
            if (!stage.isDocument()) {
                throw new IllegalArgumentException("Every stage of a pipeline must be a document, got " + stage);
            }
            stages.add(stage.asDocument());
        }
        BsonDocument rewritten = command.clone();
        rewritten.put("pipeline", new BsonArray(PipelineConfinement.confine(stages, namespace, registry)));
        return rewritten;
    }

    private static BsonDocument toDocument(Bson command, CodecRegistry registry) {
        BsonDocument document = command.toBsonDocument(BsonDocument.class, registry);
        if (document.isEmpty()) {
            throw new IllegalArgumentException("A command document must not be empty.");
        }
        for (String key : document.keySet()) {
            if (key.startsWith("$")) {
                throw new IsolationViolationException("Field \"" + key + "\" is refused in a command: Tenantry decides"
                        + " which database a command runs in. Remove it; read preference and the like have their own"
                        + " runCommand parameters.");
            }
        }
        return document;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
