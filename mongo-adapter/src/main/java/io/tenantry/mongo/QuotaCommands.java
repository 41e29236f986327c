package io.tenantry.mongo;

import com.mongodb.client.MongoDatabase;
import io.tenantry.Quota;
import io.tenantry.TenantId;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.conversions.Bson;
import org.jspecify.annotations.Nullable;

/**
 * Quotas on what writes through the routing database, and the writes whose additions are not known before
 * they run:
 *
 * <ul>
 *   <li>{@code drop()} of the tenant's database takes every items count to zero;
 *   <li>{@code runCommand} ({@code insert}, {@code update} with an upsert, {@code findAndModify} with upsert,
 *       {@code aggregate} that writes) into a collection under an items quota, or adding documents under a
 *       bytes quota, is refused: a command's additions are known only from its reply, after they passed the
 *       limit; the same write through {@code getCollection(name)} is counted. {@code delete} and {@code drop}
 *       commands give back what they removed when the reply is a document;
 *   <li>{@code aggregate} with {@code $out}, or with {@code $merge} that inserts ({@code whenNotMatched} other
 *       than {@code discard} or {@code fail}), into a collection under an items quota is refused, on a
 *       collection or the database, and so is {@code renameCollection} into one: each would add an unknown
 *       number of documents at once.
 * </ul>
 *
 * Thread-safe.
 */
final class QuotaCommands {

    /** Database methods that add or remove documents. */
    private static final Set<String> COUNTED = Set.of("drop", "runCommand", "aggregate");

    private final QuotaWrites writes;

    QuotaCommands(QuotaWrites writes) {
        this.writes = writes;
    }

    @Nullable Object database(Routing.Target target, Method method, MongoDatabase handle, Object @Nullable [] args)
            throws Throwable {
        String name = method.getName();
        if (!COUNTED.contains(name)) {
            return RoutingHandles.call(method, handle, args);
        }
        Map<String, Quota> inForce = writes.quotas.quotasOf(Objects.requireNonNull(target.entry, "a routed call's directory entry"));
        if (inForce.isEmpty()) {
            return RoutingHandles.call(method, handle, args);
        }
        Object[] given = args == null ? new Object[0] : args;
        switch (name) {
            case "drop": {
                Object result = RoutingHandles.call(method, handle, args);
                inForce.values().stream().filter(q -> q.kind() == Quota.Kind.ITEMS)
                        .forEach(q -> writes.quotas.removed(target.tenant, q.resource(), Long.MAX_VALUE));
                return result;
            }
            case "aggregate":
                refusePipeline(target.tenant, inForce, pipelineOf(given), handle.getCodecRegistry());
                return RoutingHandles.call(method, handle, args);
            default:
                return runCommand(target, inForce, method, handle, given);
        }
    }

    private @Nullable Object runCommand(Routing.Target target, Map<String, Quota> inForce, Method method,
            MongoDatabase handle, Object[] args) throws Throwable {
        BsonDocument command = null;
        for (Object arg : args) {
            if (arg instanceof Bson) {
                command = ((Bson) arg).toBsonDocument(BsonDocument.class, handle.getCodecRegistry());
                break;
            }
        }
        if (command == null || command.isEmpty() || !command.get(command.getFirstKey()).isString()) {
            return RoutingHandles.call(method, handle, args);
        }
        String verb = command.getFirstKey();
        String collection = command.getString(verb).getValue();
        boolean adds = switch (verb) {
            case "insert" -> true;
            case "update" -> command.isArray("updates") && command.getArray("updates").stream()
                    .anyMatch(u -> u.isDocument() && u.asDocument().getBoolean("upsert", org.bson.BsonBoolean.FALSE)
                            .getValue());
            case "findAndModify" -> command.getBoolean("upsert", org.bson.BsonBoolean.FALSE).getValue();
            default -> false;
        };
        boolean itemsQuota = inForce.containsKey(Quota.key(Quota.Kind.ITEMS, collection));
        if (adds && (itemsQuota || inForce.containsKey(Quota.key(Quota.Kind.BYTES, "")))) {
            throw new UnsupportedOperationException("runCommand(" + verb + ") on collection \"" + collection
                    + "\" is refused for tenant " + target.tenant + ", which has quotas " + inForce.keySet()
                    + ": a command's additions are known only after it ran, and could pass a quota. Write through"
                    + " getCollection(\"" + collection + "\") instead, whose writes are counted.");
        }
        if (verb.equals("aggregate") && command.isArray("pipeline")) {
            refusePipeline(target.tenant, inForce, command.getArray("pipeline").getValues(), handle.getCodecRegistry());
        }
        Object reply = RoutingHandles.call(method, handle, args);
        if (itemsQuota && (verb.equals("delete") || verb.equals("drop"))) {
            long removed = verb.equals("drop") ? Long.MAX_VALUE : removedBy(reply);
            if (removed > 0) {
                writes.quotas.removed(target.tenant, collection, removed);
            }
        }
        return reply;
    }

    /** The {@code n} of a delete command's reply, or zero if the reply is not a document. */
    private static long removedBy(@Nullable Object reply) {
        Object n = reply instanceof Document ? ((Document) reply).get("n")
                : reply instanceof BsonDocument && ((BsonDocument) reply).isNumber("n")
                ? ((BsonDocument) reply).getNumber("n").longValue() : null;
        return n instanceof Number ? ((Number) n).longValue() : 0;
    }

    private static List<?> pipelineOf(Object[] args) {
        for (Object arg : args) {
            if (arg instanceof List) {
                return (List<?>) arg;
            }
        }
        return List.of();
    }

    /**
     * Refuses a pipeline that ends in {@code $out}, or in a {@code $merge} that inserts, into a collection
     * under an items quota.
     */
    static void refusePipelineInto(QuotaWrite write, @Nullable List<?> pipeline) {
        refusePipeline(write.target().tenant, write.inForce(), pipeline == null ? List.of() : pipeline,
                write.handle().getCodecRegistry());
    }

    /** Refuses renaming a collection to {@code newName} when that name is under an items quota. */
    static void refuseRenameInto(QuotaWrite write, String newName) {
        if (write.inForce().containsKey(Quota.key(Quota.Kind.ITEMS, newName))) {
            throw new UnsupportedOperationException("Renaming a collection to \"" + newName + "\" is refused for"
                    + " tenant " + write.target().tenant + ": \"" + newName + "\" has an items quota, and the rename"
                    + " would add all the documents of the collection at once, past the count. Copy them with"
                    + " insertMany (counted), or lift the quota with the attribute quota.items." + newName
                    + "=unlimited.");
        }
    }

    private static void refusePipeline(TenantId tenant, Map<String, Quota> inForce, List<?> pipeline,
            CodecRegistry registry) {
        for (String into : insertingTargets(pipeline, registry)) {
            if (inForce.containsKey(Quota.key(Quota.Kind.ITEMS, into))) {
                throw new UnsupportedOperationException("An aggregation writing into collection \"" + into
                        + "\" ($out, or $merge that inserts) is refused for tenant " + tenant + ": \"" + into
                        + "\" has an items quota, and what the stage writes is known only after it passed the"
                        + " limit. Insert the results with insertMany (counted), use $merge with whenNotMatched"
                        + " \"discard\", or lift the quota with the attribute quota.items." + into + "=unlimited.");
            }
        }
    }

    /** The logical collections that {@code $out} or an inserting {@code $merge} of {@code pipeline} write into. */
    static List<String> insertingTargets(List<?> pipeline, CodecRegistry registry) {
        List<String> targets = new ArrayList<>();
        for (Object stage : pipeline) {
            BsonDocument document = stage instanceof BsonValue && ((BsonValue) stage).isDocument()
                    ? ((BsonValue) stage).asDocument()
                    : stage instanceof Bson ? ((Bson) stage).toBsonDocument(BsonDocument.class, registry) : null;
            if (document == null) {
                continue;
            }
            BsonValue out = document.get("$out");
            if (out != null) {
                addName(targets, out, "coll");
            }
            BsonValue merge = document.get("$merge");
            if (merge != null && merge.isString()) {
                targets.add(merge.asString().getValue());
            } else if (merge != null && merge.isDocument()) {
                BsonValue whenNotMatched = merge.asDocument().get("whenNotMatched");
                boolean inserts = whenNotMatched == null || !whenNotMatched.isString()
                        || !Set.of("discard", "fail").contains(whenNotMatched.asString().getValue());
                BsonValue into = merge.asDocument().get("into");
                if (inserts && into != null) {
                    addName(targets, into, "coll");
                }
            }
        }
        return targets;
    }

    private static void addName(List<String> targets, BsonValue name, String field) {
        if (name.isString()) {
            targets.add(name.asString().getValue());
        } else if (name.isDocument() && name.asDocument().isString(field)) {
            targets.add(name.asDocument().getString(field).getValue());
        }
    }
}
