package io.tenantry.mongo;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.tenantry.IsolationViolationException;
import io.tenantry.TenantContext;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.conversions.Bson;
import org.jspecify.annotations.Nullable;

/**
 * A shared database of reference data (currencies, card catalogues, report templates) that every
 * tenant reads and only administration writes.
 *
 * <p>{@link #readOnly(MongoDatabase)} returns a {@link MongoDatabase} whose reads work for everyone,
 * with or without a tenant bound, and whose writes are refused with
 * {@link IsolationViolationException} unless the calling thread is in a system scope
 * ({@link TenantContext#openSystem(String)}, audited). Writes are every method that changes data,
 * indexes or collections, of the database and of its collections; {@code aggregate} with
 * {@code $out} or {@code $merge}; {@code mapReduce}; and {@code runCommand} other than
 * {@code ping}, {@code buildInfo}, {@code hello} and {@code isMaster}. Each method of
 * {@code MongoDatabase} and {@code MongoCollection} is classified by name; a method Tenantry does
 * not know (a newer driver's) is refused, in every scope.
 *
 * <pre>{@code
 * MongoDatabase reference = SharedResources.readOnly(client.getDatabase("reference"));
 * reference.getCollection("currencies").find().into(list);                  // any tenant
 * try (TenantScope admin = TenantContext.openSystem("currency import")) {
 *     reference.getCollection("currencies").insertMany(rates);              // administration only
 * }
 * }</pre>
 *
 * <p>The returned handles are thread-safe, like the driver's.
 */
public final class SharedResources {

    /** How a method of a shared-resources handle is treated. */
    enum Access {
        /** Reads or describes: always allowed. */
        READ,
        /** Changes something: system scope only. */
        WRITE,
        /** Returns another database or collection handle: wrapped in turn. */
        WRAP,
        /** An aggregation: a write if it ends in {@code $out} or {@code $merge}. */
        AGGREGATE,
        /** A command: allowed if harmless, otherwise a write. */
        COMMAND
    }

    private static final Set<String> COMMON_READS = Set.of("getCodecRegistry", "getReadPreference",
            "getWriteConcern", "getReadConcern", "getTimeout", "watch");
    private static final Set<String> WITHERS = Set.of("withCodecRegistry", "withReadPreference", "withWriteConcern",
            "withReadConcern", "withTimeout");

    /** Every method name of {@link MongoDatabase}, classified. */
    static final Map<String, Access> DATABASE_METHODS = table(
            Set.of("getName", "listCollectionNames", "listCollections"),
            Set.of("drop", "createCollection", "createView"),
            Set.of("getCollection"), Map.of("runCommand", Access.COMMAND, "aggregate", Access.AGGREGATE));

    /** Every method name of {@link MongoCollection}, classified. */
    static final Map<String, Access> COLLECTION_METHODS = table(
            Set.of("getNamespace", "getDocumentClass", "countDocuments", "estimatedDocumentCount", "distinct", "find",
                    "listIndexes", "listSearchIndexes"),
            Set.of("bulkWrite", "insertOne", "insertMany", "deleteOne", "deleteMany", "replaceOne", "updateOne",
                    "updateMany", "findOneAndDelete", "findOneAndReplace", "findOneAndUpdate", "drop", "createIndex",
                    "createIndexes", "dropIndex", "dropIndexes", "renameCollection", "createSearchIndex",
                    "createSearchIndexes", "updateSearchIndex", "dropSearchIndex", "mapReduce"),
            Set.of("withDocumentClass"), Map.of("aggregate", Access.AGGREGATE));

    private SharedResources() {
    }

    /**
     * Returns a read-only view of {@code database}; writes need a system scope.
     *
     * @param database the shared database, from a {@code MongoClient}
     * @return a handle that refuses writes outside a system scope
     */
    public static MongoDatabase readOnly(MongoDatabase database) {
        Objects.requireNonNull(database, "database");
        return wrap(MongoDatabase.class, database, DATABASE_METHODS, database.getName());
    }

    private static Map<String, Access> table(Set<String> reads, Set<String> writes, Set<String> wraps,
            Map<String, Access> special) {
        Map<String, Access> table = new HashMap<>();
        COMMON_READS.forEach(name -> table.put(name, Access.READ));
        reads.forEach(name -> table.put(name, Access.READ));
        writes.forEach(name -> table.put(name, Access.WRITE));
        WITHERS.forEach(name -> table.put(name, Access.WRAP));
        wraps.forEach(name -> table.put(name, Access.WRAP));
        table.putAll(special);
        return Map.copyOf(table);
    }

    private static <T> T wrap(Class<T> type, Object delegate, Map<String, Access> methods, String database) {
        return type.cast(Proxy.newProxyInstance(SharedResources.class.getClassLoader(), new Class<?>[] {type},
                new Handler(delegate, methods, database)));
    }

    private static final class Handler implements InvocationHandler {
        private final Object delegate;
        private final Map<String, Access> methods;
        private final String database;

        Handler(Object delegate, Map<String, Access> methods, String database) {
            this.delegate = delegate;
            this.methods = methods;
            this.database = database;
        }

        @Override
        public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
            String name = method.getName();
            if (method.getDeclaringClass() == Object.class) {
                switch (name) {
                    case "equals":
                        return args != null && proxy == args[0];
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    default:
                        return "Tenantry read-only " + delegate;
                }
            }
            Access access = methods.get(name);
            if (access == null) {
                throw new IsolationViolationException(method.getDeclaringClass().getSimpleName() + "." + name
                        + " is not known to Tenantry, which refuses it on shared resources rather than guess whether it"
                        + " writes. Use the underlying MongoClient for it in an administration job.");
            }
            switch (access) {
                case WRITE:
                    requireSystem(name);
                    break;
                case AGGREGATE:
                    if (writesOut(args)) {
                        requireSystem("aggregate with $out or $merge");
                    }
                    break;
                case COMMAND:
                    if (!OwnedCommands.HARMLESS.contains(commandName(args))) {
                        requireSystem("runCommand(" + commandName(args) + ")");
                    }
                    break;
                default:
                    break;
            }
            Object result = call(method, args);
            if (access != Access.WRAP) {
                return result;
            }
            if (result instanceof MongoDatabase) {
                return wrap(MongoDatabase.class, result, DATABASE_METHODS, database);
            }
            return wrap(MongoCollection.class, Objects.requireNonNull(result), COLLECTION_METHODS, database);
        }

        private void requireSystem(String operation) {
            if (!TenantContext.isSystem()) {
                throw new IsolationViolationException("The shared resources database \"" + database + "\" is read-only"
                        + " for tenants, and " + operation + " writes. Change reference data in a system scope:"
                        + " try (TenantScope s = TenantContext.openSystem(\"why\")) { ... }.");
            }
        }

        private CodecRegistry registry() {
            return delegate instanceof MongoDatabase ? ((MongoDatabase) delegate).getCodecRegistry()
                    : ((MongoCollection<?>) delegate).getCodecRegistry();
        }

        private boolean writesOut(Object @Nullable [] args) {
            for (Object arg : args == null ? new Object[0] : args) {
                if (arg instanceof List) {
                    for (Object stage : (List<?>) arg) {
                        BsonDocument document = ((Bson) stage).toBsonDocument(BsonDocument.class, registry());
                        if (document.containsKey("$out") || document.containsKey("$merge")) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        private String commandName(Object @Nullable [] args) {
            for (Object arg : args == null ? new Object[0] : args) {
                if (arg instanceof Bson) {
                    BsonDocument command = ((Bson) arg).toBsonDocument(BsonDocument.class, registry());
                    return command.isEmpty() ? "" : command.getFirstKey();
                }
            }
            return "";
        }

        private @Nullable Object call(Method method, Object @Nullable [] args) throws Throwable {
            try {
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
